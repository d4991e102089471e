#!/usr/bin/env bash
# Makes the certificates of the TLS tests in DIR, with openssl:
#   ca.pem, ca-key.pem                  the test CA
#   server-cert.pem, server-key.pem     the server's, signed by the CA, issued for the name
#                                       "localhost" only (subjectAltName DNS:localhost), so a
#                                       client connecting to 127.0.0.1 finds the wrong name
#   client-cert.pem, client-key.pem     a client's, signed by the CA (for REQUIRE X509 accounts)
#   other-ca.pem                        another CA, which signed none of them (the wrong CA)
# Start a sandbox with them: CDC_SANDBOX_TLS=DIR test/mariadb-sandbox.sh start ...
#
#   test/integration/make-test-certificates.sh DIR
set -euo pipefail

if (($# != 1)); then
  echo "usage: $0 DIR" >&2
  exit 2
fi
command -v openssl >/dev/null || { echo "make-test-certificates: openssl is not installed; run test/install-deps.sh" >&2; exit 1; }
dir=$1
mkdir -p "$dir"
cd "$dir"

# A CA: NAME KEY CERT.
make_ca() {
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=$1" -keyout "$2" -out "$3" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}

# A certificate signed by the test CA: NAME KEY CERT EXTENSIONS.
make_signed() {
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$1" -keyout "$2" -out "$3.csr" 2>/dev/null
  openssl x509 -req -in "$3.csr" -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 3650 \
    -out "$3" -extfile <(printf '%s\n' "$4") 2>/dev/null
  rm -f "$3.csr"
}

make_ca "cdc test CA" ca-key.pem ca.pem
make_ca "another CA" other-ca-key.pem other-ca.pem
make_signed localhost server-key.pem server-cert.pem \
  "subjectAltName=DNS:localhost
basicConstraints=CA:FALSE
extendedKeyUsage=serverAuth"
make_signed "cdc client" client-key.pem client-cert.pem \
  "basicConstraints=CA:FALSE
extendedKeyUsage=clientAuth"
openssl verify -CAfile ca.pem server-cert.pem client-cert.pem >/dev/null

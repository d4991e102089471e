// Test tooling for the debezium format (not part of the product): runs Debezium's embedded
// engine with the connector properties in a file and appends every record it emits to an output
// file as one JSON line {"topic": T, "key": K, "value": V}, where K and V are the JSON that
// Debezium's JsonConverter wrote (null for a tombstone's value), byte for byte. Runs until it
// is stopped (SIGTERM); test/debezium/capture-fixture.sh drives it.
//
//   java -cp JARS:CLASSES CaptureFixture CONNECTOR.properties OUTPUT.jsonl
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

public final class CaptureFixture {
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: CaptureFixture CONNECTOR.properties OUTPUT.jsonl");
      System.exit(2);
    }
    Properties props = new Properties();
    try (FileInputStream in = new FileInputStream(args[0])) {
      props.load(in);
    }
    Writer out = new OutputStreamWriter(new FileOutputStream(args[1], true), StandardCharsets.UTF_8);
    CountDownLatch finished = new CountDownLatch(1);
    DebeziumEngine<ChangeEvent<String, String>> engine =
        DebeziumEngine.create(Json.class)
            .using(props)
            .notifying(
                (ChangeEvent<String, String> record) -> {
                  try {
                    synchronized (out) {
                      out.write("{\"topic\":\"" + record.destination() + "\",\"key\":"
                          + record.key() + ",\"value\":" + record.value() + "}\n");
                      out.flush();
                    }
                  } catch (Exception e) {
                    throw new RuntimeException(e);
                  }
                })
            .using(
                (boolean success, String message, Throwable error) -> {
                  System.err.println("capture: engine stopped: success=" + success + " " + message);
                  if (error != null) error.printStackTrace();
                  finished.countDown();
                })
            .build();
    ExecutorService executor = Executors.newSingleThreadExecutor();
    executor.execute(engine);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    engine.close();
                    finished.await(30, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    e.printStackTrace();
                  }
                }));
    finished.await();
    executor.shutdown();
  }
}

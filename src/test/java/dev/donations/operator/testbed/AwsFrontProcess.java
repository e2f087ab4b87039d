package dev.donations.operator.testbed;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An AWS front of its own (python -m awsfront from the moto venv that hack/build-tools.sh cluster
 * made), for tests that change its faults or state durations without disturbing the shared test
 * bed's front.
 */
public final class AwsFrontProcess implements AutoCloseable {

  private final Process process;
  private final URI endpoint;
  private final Path log;
  private final Path state;

  private AwsFrontProcess(Process process, URI endpoint, Path log, Path state) {
    this.process = process;
    this.endpoint = endpoint;
    this.log = log;
    this.state = state;
  }

  /**
   * Starts a front on a free 127.0.0.1 port with the given extra options; waits until it answers.
   */
  public static AwsFrontProcess start(Path repo, String... options)
      throws IOException, InterruptedException {
    String cache =
        System.getenv()
            .getOrDefault(
                "DONATION_CACHE", System.getProperty("user.home") + "/.cache/donation-operator");
    Path python = Path.of(cache, "moto-5.2.5", "bin", "python");
    if (!Files.isExecutable(python)) {
      throw new IllegalStateException(
          "no moto venv at " + python + ": run hack/build-tools.sh cluster");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path state = Files.createTempDirectory("awsfront-test");
    Path log = repo.resolve("target/awsfront-" + port + ".log");
    Files.createDirectories(log.getParent());
    List<String> command =
        new ArrayList<>(
            List.of(
                python.toString(),
                "-m",
                "awsfront",
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--state-dir",
                state.toString(),
                "--quiet"));
    command.addAll(List.of(options));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(repo.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("PYTHONPATH", repo.resolve("hack").toString());
    Process process = builder.start();
    URI endpoint = URI.create("http://127.0.0.1:" + port);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the AWS front exited: " + Files.readString(log));
      }
      try {
        HttpURLConnection c =
            (HttpURLConnection) endpoint.resolve("/moto-api/").toURL().openConnection();
        c.setConnectTimeout(500);
        if (c.getResponseCode() == 200) {
          return new AwsFrontProcess(process, endpoint, log, state);
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    process.destroyForcibly();
    throw new IllegalStateException("the AWS front did not answer within 60 s; see " + log);
  }

  public URI endpoint() {
    return endpoint;
  }

  public Path log() {
    return log;
  }

  @Override
  public void close() throws InterruptedException, IOException {
    process.destroy(); // SIGTERM: the front stops its servers and exits
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    try (var files = Files.walk(state)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}

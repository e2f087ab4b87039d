package dev.donations.operator.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The test bed's tools where hack/build-tools.sh puts them, for unit tests that need one (helm) but
 * no running test bed. The directory is computed as hack/lib.sh computes TOOLS_BIN.
 */
public final class TestBedTools {

  private static final Pattern K8S_VERSION =
      Pattern.compile("^K8S_VERSION=(\\S+)", Pattern.MULTILINE);

  private TestBedTools() {}

  /**
   * The test bed's helm. A missing binary fails the test that asks for it, with the command that
   * builds it: a skipped test would hide a failure on a machine where the build did not run.
   */
  public static Path helm(Path repo) {
    Path helm = toolsBin(repo).resolve("helm");
    if (!Files.isExecutable(helm)) {
      throw new AssertionError(
          "no helm at "
              + helm
              + ": build the test bed's tools first with hack/build-tools.sh all"
              + " (.ci/run does, before ./mvnw verify)");
    }
    return helm;
  }

  /**
   * $CACHE_ROOT/k8s-$K8S_VERSION-$KUBEBED_HASH/bin, as in hack/lib.sh: the hash is the first ten
   * hex digits of the SHA-256 of hack/kubebed's go.mod, go.sum and *.go, concatenated in that order
   * (the *.go files in name order, as the shell's glob lists them).
   */
  static Path toolsBin(Path repo) {
    try {
      Path hack = repo.resolve("hack");
      Matcher version = K8S_VERSION.matcher(Files.readString(hack.resolve("lib.sh")));
      if (!version.find()) {
        throw new AssertionError("no K8S_VERSION= line in " + hack.resolve("lib.sh"));
      }
      Path kubebed = hack.resolve("kubebed");
      List<Path> sources =
          new ArrayList<>(List.of(kubebed.resolve("go.mod"), kubebed.resolve("go.sum")));
      try (Stream<Path> files = Files.list(kubebed)) {
        files
            .filter(f -> f.getFileName().toString().endsWith(".go"))
            .sorted()
            .forEach(sources::add);
      }
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      for (Path source : sources) {
        sha256.update(Files.readAllBytes(source));
      }
      String hash = HexFormat.of().formatHex(sha256.digest()).substring(0, 10);
      return cacheRoot().resolve("k8s-" + version.group(1) + "-" + hash).resolve("bin");
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path cacheRoot() {
    String cache = System.getenv("DONATION_CACHE");
    return cache != null && !cache.isEmpty()
        ? Path.of(cache)
        : Path.of(System.getProperty("user.home"), ".cache", "donation-operator");
  }

  /** A finished command: its exit code and its standard output and error, interleaved. */
  public record Run(int exitCode, String output) {}

  /** Runs a command in the repository and waits up to two minutes for it. */
  public static Run run(Path repo, List<String> command) {
    try {
      // Output to a file, not a pipe: a command that hangs cannot block the read, and the time-out
      // holds.
      Path output = Files.createTempFile("testbed-run", ".out");
      try {
        Process process =
            new ProcessBuilder(command)
                .directory(repo.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
          process.destroyForcibly();
          throw new AssertionError(String.join(" ", command) + " did not finish in two minutes");
        }
        return new Run(process.exitValue(), Files.readString(output));
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

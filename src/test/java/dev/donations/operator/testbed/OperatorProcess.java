package dev.donations.operator.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged operator (target/quarkus-app) as a separate process, as it runs in its pod: the prod
 * profile, a ServiceAccount token, moto as AWS. kwok pods run no containers, so this is how the
 * chart's replicas run on the test bed.
 */
public final class OperatorProcess implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String identity;
  private final String credentialId;
  private final int port;
  private final Process process;
  private final Path log;

  private OperatorProcess(
      String identity, String credentialId, int port, Process process, Path log) {
    this.identity = identity;
    this.credentialId = credentialId;
    this.port = port;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts a replica with its own token of the ServiceAccount and the given extra settings
   * (environment variables, as the chart sets them). AWS credentials come as on EKS with IRSA: a
   * projected token file and a role ARN, which the SDK's default chain exchanges with STS (moto);
   * no keys are given.
   */
  public static OperatorProcess start(
      LocalCluster cluster,
      String identity,
      String namespace,
      String serviceAccount,
      Map<String, String> settings) {
    String token = LocalClusterResource.serviceAccountToken(cluster, namespace, serviceAccount);
    Path kubeconfig = LocalClusterResource.tokenKubeconfig(cluster, token, "replica-" + identity);
    int port = freePort();
    Path jar = cluster.repo().resolve("target/quarkus-app/quarkus-run.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(
          jar + " is missing: the integration tests run after `package`");
    }
    Path log = cluster.repo().resolve("target/replica-" + identity + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                jar.toString())
            .directory(cluster.repo().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("KUBECONFIG", kubeconfig.toString());
    env.remove("AWS_ACCESS_KEY_ID");
    env.remove("AWS_SECRET_ACCESS_KEY");
    env.put("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/" + serviceAccount);
    env.put(
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        webIdentityToken(cluster, namespace, serviceAccount, identity).toString());
    env.put("AWS_ENDPOINT_URL_STS", cluster.awsEndpoint().toString());
    env.put("AWS_REGION", cluster.region());
    env.put("DONATION_AWS_ENDPOINT_OVERRIDE", cluster.awsEndpoint().toString());
    env.put("DONATION_OPERATOR_NAMESPACE", namespace);
    env.put("DONATION_LEADER_ELECTION_IDENTITY", identity);
    env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
    env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
    env.putAll(settings);
    try {
      return new OperatorProcess(identity, "JTI=" + jti(token), port, builder.start(), log);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * What EKS projects into the pod for IRSA: a ServiceAccount token for the audience
   * sts.amazonaws.com.
   */
  private static Path webIdentityToken(
      LocalCluster cluster, String namespace, String serviceAccount, String identity) {
    try (var client = cluster.adminClient()) {
      String token =
          client
              .serviceAccounts()
              .inNamespace(namespace)
              .withName(serviceAccount)
              .tokenRequest(
                  new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder()
                      .withNewSpec()
                      .withAudiences("sts.amazonaws.com")
                      .withExpirationSeconds(3600L)
                      .endSpec()
                      .build())
              .getStatus()
              .getToken();
      Path file = cluster.repo().resolve("target/replica-" + identity + ".aws-token");
      Files.writeString(file, token);
      return file;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String identity() {
    return identity;
  }

  /** How the API server's audit log names this replica's token. */
  public String credentialId() {
    return credentialId;
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** The checks of /q/health/ready by name, or an empty map while the replica does not answer. */
  public Map<String, JsonNode> readiness() {
    Map<String, JsonNode> checks = new HashMap<>();
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                  .timeout(Duration.ofSeconds(3))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JSON.readTree(response.body())
          .path("checks")
          .forEach(c -> checks.put(c.path("name").asText(), c));
    } catch (IOException e) {
      return checks;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return checks;
  }

  /** The text of /q/metrics. */
  public String metrics() {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics")).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A crash: SIGKILL, no shutdown hook, the Lease is not released. */
  public void kill() {
    process.destroyForcibly();
    waitForExit();
  }

  /** A clean stop: SIGTERM, as kubelet does. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      waitForExit();
    }
  }

  public Path logFile() {
    return log;
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  private void waitForExit() {
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String jti(String token) {
    try {
      String payload =
          new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
      return JSON.readTree(payload).path("jti").asText();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}

package dev.donations.operator.testbed;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.efs.EfsClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The local test bed from the tests' side: starts it with hack/local-cluster.sh (or reuses a
 * running one), reads its env file, and hands out clients for the API server and moto.
 */
public final class LocalCluster {

  /** How long a cold start may take: the first run builds Kubernetes from source. */
  private static final Duration STARTUP = Duration.ofMinutes(45);

  private static LocalCluster instance;

  private final Path repo;
  private final Path stateDir;
  private final Map<String, String> env;
  private final boolean startedHere;

  private LocalCluster(Path repo, Path stateDir, Map<String, String> env, boolean startedHere) {
    this.repo = repo;
    this.stateDir = stateDir;
    this.env = env;
    this.startedHere = startedHere;
  }

  /** System property that asks for the real node (hack/real-node.sh) beside the kwok nodes. */
  public static final String REAL_NODE_PROPERTY = "testbed.real-node";

  /**
   * How many real nodes (1 to 3) the real-node suite wants; 1 when only the property above is set.
   */
  public static final String REAL_NODES_PROPERTY = "testbed.real-nodes";

  /** The running test bed, started on first use. */
  public static synchronized LocalCluster get() {
    if (instance == null) {
      instance = start();
    }
    return instance;
  }

  private static LocalCluster start() {
    Path repo = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    Path stateDir = repo.resolve(".local-cluster");
    boolean running = run(repo, Duration.ofSeconds(30), "hack/local-cluster.sh", "status") == 0;
    // The real-node suite (profile real-node) needs pods that really run; up adds the node to a
    // running bed.
    int realNodes =
        Integer.getInteger(REAL_NODES_PROPERTY, Boolean.getBoolean(REAL_NODE_PROPERTY) ? 1 : 0);
    boolean realNode = realNodes > 0;
    String[] up =
        realNode
            ? new String[] {
              "hack/local-cluster.sh", "up", "--real-nodes", String.valueOf(realNodes)
            }
            : new String[] {"hack/local-cluster.sh", "up"};
    if ((!running || realNode) && run(repo, STARTUP, up) != 0) {
      throw new IllegalStateException(
          "hack/local-cluster.sh up failed; see target/local-cluster-up.log");
    }
    return new LocalCluster(repo, stateDir, readEnv(stateDir.resolve("env")), !running);
  }

  /** Stops the test bed if this test run started it; a bed that was already running stays up. */
  public static synchronized void stopIfStartedHere() {
    if (instance != null && instance.startedHere) {
      run(instance.repo, Duration.ofMinutes(1), "hack/local-cluster.sh", "down");
    }
    instance = null;
  }

  public Path repo() {
    return repo;
  }

  public String env(String key) {
    String value = env.get(key);
    if (value == null) {
      throw new IllegalStateException(key + " is not in " + stateDir.resolve("env"));
    }
    return value;
  }

  public Path kubeconfig(String user) {
    return stateDir.resolve(user + ".kubeconfig");
  }

  public Path auditLog() {
    return stateDir.resolve("logs/audit.log");
  }

  /** A client with the developer's (cluster-admin) identity, for the tests' own checks. */
  public KubernetesClient adminClient() {
    return client("admin");
  }

  public KubernetesClient client(String user) {
    try {
      return new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig(user))))
          .build();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs the test bed's helm as the admin and returns its output; fails on a non-zero exit. */
  public String helm(String... args) {
    try {
      List<String> command = new java.util.ArrayList<>(List.of(env("LOCAL_HELM")));
      command.addAll(List.of(args));
      ProcessBuilder builder =
          new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true);
      builder.environment().put("KUBECONFIG", kubeconfig("admin").toString());
      Process helm = builder.start();
      String out =
          new String(helm.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!helm.waitFor(2, TimeUnit.MINUTES) || helm.exitValue() != 0) {
        throw new IllegalStateException("helm " + String.join(" ", args) + " failed:\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public URI awsEndpoint() {
    return URI.create(env("AWS_ENDPOINT_URL"));
  }

  public String region() {
    return env("AWS_REGION");
  }

  public S3Client s3() {
    return S3Client.builder()
        .region(Region.of(region()))
        .endpointOverride(awsEndpoint())
        .forcePathStyle(true)
        .credentialsProvider(credentials())
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  public RdsClient rds() {
    return RdsClient.builder()
        .region(Region.of(region()))
        .endpointOverride(awsEndpoint())
        .credentialsProvider(credentials())
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  public EfsClient efs() {
    return EfsClient.builder()
        .region(Region.of(region()))
        .endpointOverride(awsEndpoint())
        .credentialsProvider(credentials())
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  /** CloudFront and Route 53 are global: their API is in us-east-1. */
  public CloudFrontClient cloudFront() {
    return CloudFrontClient.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(awsEndpoint())
        .credentialsProvider(credentials())
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  public Route53Client route53() {
    return Route53Client.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(awsEndpoint())
        .credentialsProvider(credentials())
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  /**
   * Requests the AWS front has served so far for a service, by action (its /_awsfront/requests).
   */
  public Map<String, Integer> awsRequests(String service) {
    return awsFrontCounts("requests", service);
  }

  /**
   * Error answers (status 400 and above) the AWS front has given so far for a service, by action.
   */
  public Map<String, Integer> awsErrors(String service) {
    return awsFrontCounts("errors", service);
  }

  private Map<String, Integer> awsFrontCounts(String kind, String service) {
    try {
      var response =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          URI.create(
                              awsEndpoint().toString().replaceAll("/+$", "")
                                  + "/_awsfront/requests"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      var node =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(response.body())
              .path(kind)
              .path(service);
      Map<String, Integer> counts = new java.util.TreeMap<>();
      node.fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asInt()));
      return counts;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")));
  }

  /** A sample file with the test bed's ${LOCAL_*} ids filled in. */
  public String renderSample(String relativePath) {
    try {
      String text = Files.readString(repo.resolve(relativePath));
      for (var e : env.entrySet()) {
        text = text.replace("${" + e.getKey() + "}", e.getValue());
      }
      return text;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> readEnv(Path file) {
    try {
      Map<String, String> env = new LinkedHashMap<>();
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith("export ") && line.contains("=")) {
          String kv = line.substring("export ".length());
          env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
      }
      return env;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }

  private static int run(Path repo, Duration timeout, String... command) {
    try {
      Path log = repo.resolve("target/local-cluster-" + command[1] + ".log");
      Files.createDirectories(log.getParent());
      Process p =
          new ProcessBuilder(List.of(command))
              .directory(repo.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

package dev.donations.operator.aws;

import dev.donations.operator.config.OperatorConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.efs.EfsClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * One RDS, EFS, S3 and EC2 client per region (one CloudFront and one Route 53 client: they are
 * global), built once and shared by all campaigns of that region. Every client retries adaptively,
 * records its calls in {@link AwsCallMetrics}, and talks to the configured endpoint override when
 * there is one (moto in tests and the local demo).
 */
@ApplicationScoped
public class AwsClients {

  /** Region of the global services' APIs (CloudFront, Route 53) and of their signatures. */
  public static final String GLOBAL_REGION = "us-east-1";

  private final OperatorConfig config;
  private final AwsCallMetrics metrics;
  private final Map<String, SdkAutoCloseable> clients = new ConcurrentHashMap<>();

  public AwsClients(OperatorConfig config, AwsCallMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
  }

  public RdsClient rds(String region) {
    return client("rds", region, r -> configure(RdsClient.builder(), r).build(), RdsClient.class);
  }

  public EfsClient efs(String region) {
    return client("efs", region, r -> configure(EfsClient.builder(), r).build(), EfsClient.class);
  }

  /** EC2, read only: the CIDR blocks of the subnets a class names. */
  public Ec2Client ec2(String region) {
    return client("ec2", region, r -> configure(Ec2Client.builder(), r).build(), Ec2Client.class);
  }

  public S3Client s3(String region) {
    // moto serves buckets by path; real S3 works either way.
    return client(
        "s3",
        region,
        r ->
            configure(S3Client.builder(), r)
                .forcePathStyle(config.aws().endpointOverride().isPresent())
                .build(),
        S3Client.class);
  }

  /** CloudFront is global; its API lives in us-east-1. */
  public CloudFrontClient cloudFront() {
    return client(
        "cloudfront",
        GLOBAL_REGION,
        r -> configure(CloudFrontClient.builder(), r).build(),
        CloudFrontClient.class);
  }

  /** Route 53 is global; its API lives in us-east-1. */
  public Route53Client route53() {
    return client(
        "route53",
        GLOBAL_REGION,
        r -> configure(Route53Client.builder(), r).build(),
        Route53Client.class);
  }

  private <T extends SdkAutoCloseable> T client(
      String service, String region, Function<String, T> factory, Class<T> type) {
    return type.cast(clients.computeIfAbsent(service + "/" + region, k -> factory.apply(region)));
  }

  private <B extends AwsClientBuilder<B, ?>> B configure(B builder, String region) {
    builder
        .region(Region.of(region))
        .overrideConfiguration(
            ClientOverrideConfiguration.builder()
                // Adaptive: retries with backoff and slows this client down while AWS throttles it.
                .retryStrategy(
                    AwsRetryStrategy.adaptiveRetryStrategy().toBuilder()
                        .maxAttempts(config.aws().maxAttempts())
                        .build())
                .addExecutionInterceptor(metrics)
                .build());
    config.aws().endpointOverride().ifPresent(builder::endpointOverride);
    if (builder
        instanceof software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<?, ?> sync) {
      sync.httpClientBuilder(UrlConnectionHttpClient.builder());
    }
    return builder;
  }

  @PreDestroy
  void close() {
    clients.values().forEach(SdkAutoCloseable::close);
  }
}

package dev.donations.operator.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.donations.operator.aws.AwsCallMetrics;
import dev.donations.operator.aws.AwsClients;
import dev.donations.operator.config.OperatorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;

/**
 * The operator's own AWS clients ({@link AwsClients}: adaptive retry, 10 attempts) against the AWS
 * front's faults: each service's throttling answer is a throttling exception to the SDK, 50 % RDS
 * throttling and a connection reset are retried until the call succeeds, and the front's counters
 * show what it injected. Starts a front of its own (no cluster), so it takes seconds.
 */
class AwsFaultsIT {

  static final String REGION = "eu-west-1";
  static AwsFrontProcess front;
  static AwsFaults faults;
  static final AtomicInteger attempts = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    front = AwsFrontProcess.start(Path.of(System.getProperty("user.dir")));
    faults = new AwsFaults(front.endpoint());
    if (System.getProperty("aws.accessKeyId") == null
        && System.getenv("AWS_ACCESS_KEY_ID") == null) {
      System.setProperty("aws.accessKeyId", "testing");
      System.setProperty("aws.secretAccessKey", "testing");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (front != null) {
      front.close();
    }
  }

  @BeforeEach
  void clean() {
    faults.clear();
    faults.resetCounters();
    attempts.set(0);
  }

  /**
   * The operator's client factory, as Quarkus builds it, with maxAttempts and the front as
   * endpoint.
   */
  static AwsClients clients(int maxAttempts) {
    OperatorConfig.Aws aws =
        Answering.proxy(
            OperatorConfig.Aws.class,
            Map.of("endpointOverride", Optional.of(front.endpoint()), "maxAttempts", maxAttempts));
    OperatorConfig config = Answering.proxy(OperatorConfig.class, Map.of("aws", aws));
    // The operator's metrics interceptor, counting every HTTP attempt as well.
    AwsCallMetrics metrics =
        new AwsCallMetrics(new SimpleMeterRegistry()) {
          @Override
          public void beforeTransmission(
              Context.BeforeTransmission context, ExecutionAttributes attributes) {
            attempts.incrementAndGet();
          }
        };
    return new AwsClients(config, metrics);
  }

  @Test
  void eachServicesThrottlingAnswerIsAThrottlingExceptionToTheSdk() {
    faults.set(
        List.of(
            AwsFaults.rule("rds", "*", Map.of("throttle", 1)),
            AwsFaults.rule("efs", "*", Map.of("throttle", 1)),
            AwsFaults.rule("s3", "*", Map.of("throttle", 1))));
    AwsClients once = clients(1);
    var rds =
        catchThrowableOfType(
            AwsServiceException.class, () -> once.rds(REGION).describeDBInstances());
    var efs =
        catchThrowableOfType(
            AwsServiceException.class, () -> once.efs(REGION).describeFileSystems());
    var s3 = catchThrowableOfType(AwsServiceException.class, () -> once.s3(REGION).listBuckets());
    assertThat(List.of(rds, efs, s3))
        .allSatisfy(e -> assertThat(e.isThrottlingException()).isTrue());
    assertThat(
            List.of(
                rds.awsErrorDetails().errorCode(),
                efs.awsErrorDetails().errorCode(),
                s3.awsErrorDetails().errorCode()))
        .containsExactly("Throttling", "ThrottlingException", "SlowDown");
    assertThat(List.of(rds.statusCode(), efs.statusCode(), s3.statusCode()))
        .containsExactly(400, 429, 503);
    assertThat(faults.requests().path("faultTotals").path("throttled").asLong()).isEqualTo(3);
  }

  @Test
  void halfOfRdsThrottledAndDescribeDbInstancesStillSucceeds() {
    // Seed 21 draws T..TT.. for the first 7 requests: one call throttled once, another twice. Each
    // throttled retry waits the SDK's throttling backoff (1 s base, exponential, jittered), so 4
    // calls.
    faults.set(List.of(AwsFaults.rule("rds", "*", Map.of("throttle", 0.5))), 21L);
    AwsClients operator = clients(10);
    long t0 = System.nanoTime();
    for (int i = 0; i < 4; i++) {
      assertThat(operator.rds(REGION).describeDBInstances().dbInstances()).isEmpty();
    }
    long millis = (System.nanoTime() - t0) / 1_000_000;
    long throttled = faults.faults("rds", "DescribeDBInstances", "throttled");
    long received = faults.requests("rds", "DescribeDBInstances");
    System.out.printf(
        "AwsFaultsIT: 4 DescribeDBInstances in %d ms, %d SDK attempts, front got %d, throttled %d%n",
        millis, attempts.get(), received, throttled);
    assertThat(throttled).isPositive();
    assertThat(received).isEqualTo(4 + throttled).isEqualTo(attempts.get());
  }

  @Test
  void aConnectionResetAndA503AreRetried() {
    // First match wins: the first request is reset, the second answered 503, the third reaches
    // moto.
    faults.set(
        List.of(
            AwsFaults.rule(
                "rds", "DescribeDBInstances", Map.of("reset", 1, "until", Map.of("count", 1))),
            AwsFaults.rule(
                "rds",
                "DescribeDBInstances",
                Map.of("error5xx", 1, "status5xx", 503, "until", Map.of("count", 1)))));
    AwsClients operator = clients(10);
    assertThat(operator.rds(REGION).describeDBInstances().dbInstances()).isEmpty();
    long received = faults.requests("rds", "DescribeDBInstances");
    System.out.printf(
        "AwsFaultsIT: reset, then 503: %d SDK attempts, front got %d%n", attempts.get(), received);
    assertThat(faults.faults("rds", "DescribeDBInstances", "reset")).isEqualTo(1);
    assertThat(faults.faults("rds", "DescribeDBInstances", "error5xx")).isEqualTo(1);
    assertThat(received).isEqualTo(3).isEqualTo(attempts.get());
  }

  @Test
  void aResetAfterACreateMakesTheRetryFindItAlreadyThere() {
    // moto creates the group, the SDK sees a reset and sends the same call again: RDS's answer to
    // the
    // retry is "already exists", which a caller must treat as its own earlier success.
    faults.set(
        List.of(
            AwsFaults.rule(
                "rds",
                "CreateDBParameterGroup",
                Map.of("resetAfter", 1, "until", Map.of("count", 1)))));
    AwsClients operator = clients(10);
    var e =
        catchThrowableOfType(
            AwsServiceException.class,
            () ->
                operator
                    .rds(REGION)
                    .createDBParameterGroup(
                        r ->
                            r.dbParameterGroupName("faults-reset-after")
                                .dbParameterGroupFamily("mysql8.0")
                                .description("AwsFaultsIT")));
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("DBParameterGroupAlreadyExists");
    assertThat(faults.faults("rds", "CreateDBParameterGroup", "resetAfter")).isEqualTo(1);
    assertThat(faults.requests("rds", "CreateDBParameterGroup"))
        .isEqualTo(2)
        .isEqualTo(attempts.get());
    assertThat(
            operator
                .rds(REGION)
                .describeDBParameterGroups(r -> r.dbParameterGroupName("faults-reset-after"))
                .dbParameterGroups())
        .hasSize(1);
  }
}

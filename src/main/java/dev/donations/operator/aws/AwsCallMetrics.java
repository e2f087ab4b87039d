package dev.donations.operator.aws;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts and times every AWS call by service, operation and outcome (success, throttled, failed).
 * Tests read the same meters to prove that a converged campaign makes no mutating AWS call.
 */
@ApplicationScoped
public class AwsCallMetrics implements ExecutionInterceptor {

  public static final String METER = "donation.aws.requests";
  private static final ExecutionAttribute<Timer.Sample> SAMPLE =
      new ExecutionAttribute<>("donation-timer");

  private final MeterRegistry registry;

  public AwsCallMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    attributes.putAttribute(SAMPLE, Timer.start(registry));
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    record(attributes, "success");
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    Throwable t = context.exception();
    String outcome =
        t instanceof AwsServiceException e && e.isThrottlingException() ? "throttled" : "failed";
    record(attributes, outcome);
  }

  private void record(ExecutionAttributes attributes, String outcome) {
    String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    Optional.ofNullable(attributes.getAttribute(SAMPLE))
        .ifPresent(
            s ->
                s.stop(
                    Timer.builder(METER)
                        .description("AWS API calls made by the operator")
                        .tag("service", String.valueOf(service))
                        .tag("operation", String.valueOf(operation))
                        .tag("outcome", outcome)
                        .register(registry)));
  }

  /** Calls so far whose operation is not a read (Describe, Get, List, Head). */
  public long mutatingCalls() {
    return registry.find(METER).timers().stream()
        .filter(t -> !isRead(t.getId().getTag("operation")))
        .mapToLong(Timer::count)
        .sum();
  }

  static boolean isRead(String operation) {
    return operation != null
        && (operation.startsWith("Describe")
            || operation.startsWith("Get")
            || operation.startsWith("List")
            || operation.startsWith("Head"));
  }
}

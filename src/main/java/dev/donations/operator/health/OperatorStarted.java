package dev.donations.operator.health;

import io.javaoperatorsdk.operator.Operator;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/**
 * Started once JOSDK has started and every informer has listed its resources once (on a standby
 * too). The chart's startup probe waits for this, so a big cluster's first sync is not mistaken for
 * a hang. JOSDK starts even when an informer's first list fails
 * (stop-on-informer-error-during-startup=false); that informer retries with back-off, and this
 * check stays down until it has synced.
 */
@Startup
@ApplicationScoped
public class OperatorStarted implements HealthCheck {

  private final Operator operator;

  OperatorStarted(Operator operator) {
    this.operator = operator;
  }

  @Override
  public HealthCheckResponse call() {
    var runtime = operator.getRuntimeInfo();
    return HealthCheckResponse.named("operator-started")
        .status(runtime.isStarted() && runtime.allEventSourcesAreHealthy())
        .build();
  }
}

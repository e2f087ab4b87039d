package dev.donations.operator.health;

import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive unless an informer has stopped for good. An informer that is reconnecting makes the replica
 * unready (the quarkus-operator-sdk readiness check); one that has stopped never recovers on its
 * own, and a restart is the cure. Before the operator has started there is nothing to judge.
 */
@Liveness
@ApplicationScoped
public class InformersLiveness implements HealthCheck {

  static final String NAME = "informers";
  private final Operator operator;

  InformersLiveness(Operator operator) {
    this.operator = operator;
  }

  @Override
  public HealthCheckResponse call() {
    var response = HealthCheckResponse.named(NAME);
    if (!operator.getRuntimeInfo().isStarted()) {
      return response.up().withData("operator", "starting").build();
    }
    List<String> stopped = new ArrayList<>();
    operator
        .getRuntimeInfo()
        .unhealthyInformerWrappingEventSourceHealthIndicator()
        .forEach(
            (controller, sources) ->
                sources.forEach(
                    (source, health) -> {
                      Map<String, InformerHealthIndicator> informers =
                          health.informerHealthIndicators();
                      informers.forEach(
                          (namespace, informer) -> {
                            if (!informer.isRunning()) {
                              stopped.add(
                                  controller
                                      + "/"
                                      + source
                                      + (namespace.isEmpty() ? "" : " in " + namespace));
                            }
                          });
                    }));
    return stopped.isEmpty()
        ? response.up().build()
        : response.down().withData("stopped", String.join(", ", stopped)).build();
  }
}

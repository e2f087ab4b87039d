package dev.donations.operator.metrics;

import dev.donations.operator.logging.ReconcileLogMetrics;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * JOSDK's own reconcile meters (started, succeeded, failed, retried, active, queued, execution
 * time, events received) on our registry. quarkus-operator-sdk 7.7.3 builds them in a MeterBinder
 * but never offers them as the {@link Metrics} bean, so its no-op default won and /q/metrics had
 * none; this producer replaces it. Wrapped so that each reconcile also gets its id in the log
 * context (see {@link ReconcileLogMetrics}).
 */
public class OperatorSdkMetrics {

  @Produces
  @Singleton
  Metrics operatorSdkMetrics(MeterRegistry registry) {
    return new ReconcileLogMetrics(MicrometerMetricsV2.newBuilder(registry).build());
  }
}

package dev.donations.operator.metrics;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * JOSDK's own reconcile meters (started, succeeded, failed, retried, active, queued, execution time, events
 * received) on our registry. quarkus-operator-sdk 7.7.3 builds them in a MeterBinder but never offers them
 * as the {@link Metrics} bean, so its no-op default won and /q/metrics had none; this producer replaces it.
 */
public class OperatorSdkMetrics {

  @Produces
  @Singleton
  Metrics operatorSdkMetrics(MeterRegistry registry) {
    return MicrometerMetricsV2.newBuilder(registry).build();
  }
}

package dev.donations.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;

/** How sites scale when KEDA is installed: on request latency from Prometheus, and CPU. */
public class AutoscalingClassSpec {

  @JsonPropertyDescription(
      "Prometheus that KEDA asks, e.g. http://prometheus.monitoring:9090. Unset scales on CPU only.")
  public String prometheusAddress;

  @Default(
      "histogram_quantile(0.95, sum(rate(apache_request_duration_seconds_bucket{namespace=\"{{namespace}}\",service=\"{{campaign}}-site\"}[1m])) by (le))")
  @JsonPropertyDescription(
      "PromQL for the site's request latency in seconds; {{namespace}} and {{campaign}} are filled in per campaign.")
  public String latencyQuery =
      "histogram_quantile(0.95, sum(rate(apache_request_duration_seconds_bucket{namespace=\"{{namespace}}\",service=\"{{campaign}}-site\"}[1m])) by (le))";

  @Default("0.5")
  @io.fabric8.generator.annotation.Pattern("^[0-9]+(\\.[0-9]+)?$") @Size(max = 16) @JsonPropertyDescription(
      "Latency in seconds that one pod should keep, as a decimal such as 0.5; KEDA adds pods above it.")
  public String targetLatencySeconds = "0.5";

  @Default("3")
  @Min(1) @JsonPropertyDescription(
      "Failed Prometheus queries before KEDA holds the fallback replica count.")
  public int fallbackFailureThreshold = 3;
}

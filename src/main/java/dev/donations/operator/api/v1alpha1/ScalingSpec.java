package dev.donations.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Replica range and per-pod concurrency of the site. */
@ValidationRule(
    value = "self.minReplicas <= self.maxReplicas",
    message = "minReplicas must not exceed maxReplicas")
public class ScalingSpec {

  @Default("2")
  @Min(1) @Max(500) @JsonPropertyDescription(
      "Fewest WordPress pods, also during quiet hours. At least 2 keeps the site up through a node loss.")
  public int minReplicas = 2;

  @Default("10")
  @Min(1) @Max(500) @JsonPropertyDescription("Most WordPress pods the autoscaler may run; capped by the class.")
  public int maxReplicas = 10;

  @Default("10")
  @Min(1) @Max(256) @JsonPropertyDescription(
      "Requests one pod serves at once (web server workers); each may hold a database connection.")
  public int workersPerPod = 10;

  @Default("0")
  @Min(0) @Max(50) @JsonPropertyDescription(
      "Placeholder pods with a site pod's requests at negative priority, so the cluster autoscaler keeps"
          + " that many pods' worth of spare nodes that real site pods take at once.")
  public int headroomReplicas = 0;

  @Default("false")
  @JsonPropertyDescription(
      "Run the headroom pods only from a peak window's lead time until its end.")
  public boolean headroomDuringPeaksOnly = false;

  @Default("70")
  @Min(10) @Max(95) @JsonPropertyDescription(
      "Average CPU use, in percent of the request, that the autoscaler aims for.")
  public int targetCpuUtilization = 70;
}

package dev.donations.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

/** Upper bounds of a class. */
public class LimitsSpec {

  @Default("50")
  @Min(1) @JsonPropertyDescription("Largest maxReplicas a campaign may ask for.")
  public int maxReplicas = 50;

  @Default("64")
  @Min(1) @JsonPropertyDescription("Largest workersPerPod a campaign may ask for.")
  public int maxWorkersPerPod = 64;
}

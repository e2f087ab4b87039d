package dev.donations.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** One dated broadcast peak. */
@ValidationRule(
    value = "timestamp(self.end) > timestamp(self.start)",
    message = "a peak window must end after it starts")
public class PeakWindow {

  static final String RFC3339 =
      "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$";

  @Required
  @io.fabric8.generator.annotation.Size(max = 63) @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$") @JsonPropertyDescription("Name of the window, e.g. the broadcast, unique within the campaign.")
  public String name;

  @Required
  @io.fabric8.generator.annotation.Size(max = 35) @Pattern(RFC3339) @JsonPropertyDescription("Start of the broadcast, RFC 3339, e.g. 2026-12-18T19:00:00+01:00.")
  public String start;

  @Required
  @io.fabric8.generator.annotation.Size(max = 35) @Pattern(RFC3339) @JsonPropertyDescription("End of the broadcast, RFC 3339.")
  public String end;

  @Required
  @Min(1) @Max(500) @JsonPropertyDescription(
      "Floor of WordPress pods from the lead time until the end of the window.")
  public int minReplicas;

  @Default("15")
  @Min(0) @Max(1440) @JsonPropertyDescription(
      "Minutes before the start when the floor rises, so pods and nodes are warm.")
  public int leadTimeMinutes = 15;
}

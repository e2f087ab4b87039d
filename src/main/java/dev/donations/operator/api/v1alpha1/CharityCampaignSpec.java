package dev.donations.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** What a campaign owner asks for. */
@io.fabric8.generator.annotation.ValidationRule(
    // Without a scaling block, maxReplicas is its default, 10.
    value =
        "!has(self.peakWindows) || self.peakWindows.all(w, w.minReplicas <= (has(self.scaling) ? self.scaling.maxReplicas : 10))",
    message =
        "a peak window's minReplicas must not exceed spec.scaling.maxReplicas (10 when unset)")
public class CharityCampaignSpec {

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$") @JsonPropertyDescription("Name of the CampaignClass that sets AWS networking, sizes and images.")
  public String className;

  @Required
  @JsonPropertyDescription("The public site: host name, image, environment, TLS.")
  public SiteSpec site;

  @JsonPropertyDescription(
      "How many WordPress pods run, and how many requests each serves at once.")
  public ScalingSpec scaling = new ScalingSpec();

  @JsonPropertyDescription("Size of the campaign's database.")
  public DatabaseSpec database = new DatabaseSpec();

  @JsonPropertyDescription("The page served when the site is down, in the cluster and on S3.")
  public FallbackSpec fallback = new FallbackSpec();

  @JsonPropertyDescription("What happens to the database and files when the campaign is deleted.")
  public DeletionSpec deletion = new DeletionSpec();

  @io.fabric8.generator.annotation.Size(max = 12) @io.fabric8.generator.annotation.ValidationRule(
      value = "self.all(a, self.exists_one(b, b.name == a.name))",
      message = "peak window names must be unique")
  @io.fabric8.generator.annotation.ValidationRule(
      value =
          "self.all(a, self.all(b, a.name == b.name || timestamp(a.end) <= timestamp(b.start) || timestamp(b.end) <= timestamp(a.start)))",
      message = "peak windows must not overlap")
  @JsonPropertyDescription(
      "Dated broadcast peaks. From leadTimeMinutes before a window's start the floor rises to its minReplicas;"
          + " during the window the site never scales in; afterwards the normal floor returns.")
  public java.util.List<PeakWindow> peakWindows = java.util.List.of();
}

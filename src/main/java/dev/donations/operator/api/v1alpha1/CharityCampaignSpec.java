package dev.donations.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** What a campaign owner asks for. */
public class CharityCampaignSpec {

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription("Name of the CampaignClass that sets AWS networking, sizes and images.")
  public String className;

  @Required
  @JsonPropertyDescription("The public site: host name, image, environment, TLS.")
  public SiteSpec site;

  @JsonPropertyDescription("How many WordPress pods run, and how many requests each serves at once.")
  public ScalingSpec scaling = new ScalingSpec();

  @JsonPropertyDescription("Size of the campaign's database.")
  public DatabaseSpec database = new DatabaseSpec();

  @JsonPropertyDescription("The page served when the site is down, in the cluster and on S3.")
  public FallbackSpec fallback = new FallbackSpec();

  @JsonPropertyDescription("What happens to the database and files when the campaign is deleted.")
  public DeletionSpec deletion = new DeletionSpec();
}

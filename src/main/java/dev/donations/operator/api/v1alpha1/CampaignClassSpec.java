package dev.donations.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** What ops decide for every campaign of a class. */
public class CampaignClassSpec {

  @Required
  @Pattern("^[a-z]{2}(-[a-z]+)+-[0-9]$") @io.fabric8.generator.annotation.ValidationRule(
      value = "self == oldSelf",
      message = "region cannot change: the campaigns' databases, files and buckets live there")
  @JsonPropertyDescription(
      "AWS region of the campaign's database, file system and fallback bucket, e.g. eu-west-1.")
  public String region;

  @Required
  @JsonPropertyDescription("RDS settings: engine, networking, allowed instance classes.")
  public DatabaseClassSpec database;

  @Required
  @JsonPropertyDescription("EFS settings: where the mount targets go.")
  public StorageClassSpec storage;

  @Required
  @JsonPropertyDescription("Settings of the static fallback page on S3.")
  public FallbackClassSpec fallback;

  @JsonPropertyDescription(
      "Container images. Unset images fall back to the operator's configured defaults.")
  public ImagesSpec images = new ImagesSpec();

  @JsonPropertyDescription("How campaign sites are exposed.")
  public IngressClassSpec ingress = new IngressClassSpec();

  @JsonPropertyDescription("Latency-based scaling with KEDA, used when KEDA's CRDs are installed.")
  public AutoscalingClassSpec autoscaling = new AutoscalingClassSpec();

  @JsonPropertyDescription(
      "What campaign pods may reach outside the cluster besides DNS and the database.")
  public EgressSpec egress = new EgressSpec();

  @JsonPropertyDescription("Upper bounds that a campaign cannot exceed.")
  public LimitsSpec limits = new LimitsSpec();

  @JsonPropertyDescription(
      "Deletion policy defaults, and which destructive policies campaigns may choose.")
  public DeletionClassSpec deletion = new DeletionClassSpec();
}

package dev.donations.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** Container images of a class. */
public class ImagesSpec {

  @JsonPropertyDescription("WordPress (Bedrock) image that serves the site.")
  public String wordpress;

  @JsonPropertyDescription(
      "nginx image of the fallback backend; it must run as a non-root user on port 8080.")
  public String nginx;

  @Default("false")
  @JsonPropertyDescription("Whether campaigns may set their own site image.")
  public boolean allowSiteImageOverride;

  @Default("apache")
  @JsonPropertyDescription(
      "How the site image serves PHP: apache (mod_php, the worker limit is MaxRequestWorkers) or phpFpm"
          + " (the worker limit is pm.max_children). The operator sets that limit from workersPerPod.")
  public SiteFlavour siteFlavour = SiteFlavour.apache;

  /** How the site image runs PHP, which decides where its worker limit is set. */
  public enum SiteFlavour {
    apache,
    phpFpm
  }
}

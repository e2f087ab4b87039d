package dev.donations.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The public site of a campaign. */
public class SiteSpec {

  @Required
  @Size(max = 253) @Pattern("^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\\.)+[a-z][-a-z0-9]{0,61}[a-z0-9]$") @JsonPropertyDescription(
      "Fully qualified host name of the site, e.g. donate.example.org. Unique across campaigns.")
  public String host;

  @Size(max = 200) @JsonPropertyDescription(
      "Title of the WordPress site, given when the site image installs WordPress into the new database; later"
          + " changes are made in WordPress. Defaults to the campaign's name.")
  public String title;

  @JsonPropertyDescription(
      "WordPress (Bedrock) image; only used when the class allows overriding its image.")
  public String image;

  @Size(max = 64) @io.fabric8.generator.annotation.ValidationRule(
      value = "self.all(e, self.exists_one(x, x.name == e.name))",
      message = "environment variable names must be unique")
  @JsonPropertyDescription(
      "Extra environment variables of the site. Names the operator sets itself (DB_*, WP_*, the keys and salts) are refused.")
  public List<EnvVarSpec> env = List.of();

  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$") @JsonPropertyDescription(
      "Secret of type kubernetes.io/tls in the campaign's namespace; unset serves plain HTTP.")
  public String tlsSecretName;
}

package dev.donations.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** One extra environment variable of the site. */
@ValidationRule(
    value =
        "!self.name.startsWith('DB_') && !self.name.startsWith('WP_') && !self.name.endsWith('_KEY') && !self.name.endsWith('_SALT')",
    message = "DB_*, WP_*, *_KEY and *_SALT variables are set by the operator")
public class EnvVarSpec {

  @Required
  @io.fabric8.generator.annotation.Size(max = 128) @Pattern("^[A-Za-z_][A-Za-z0-9_]*$") @JsonPropertyDescription("Variable name.")
  public String name;

  @io.fabric8.generator.annotation.Size(max = 4096) @JsonPropertyDescription("Variable value (not secret: it is visible in the Deployment).")
  public String value = "";
}

package dev.donations.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** A key of a ConfigMap in the campaign's namespace. */
public class ConfigMapKeyRef {

  @Required
  @JsonPropertyDescription("ConfigMap name.")
  public String name;

  @Default("index.html")
  @JsonPropertyDescription("Key that holds the HTML.")
  public String key = "index.html";
}

package dev.donations.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;

/** The page shown when the site is down. */
public class FallbackSpec {

  @Default("We'll be right back")
  @Size(max = 200) @JsonPropertyDescription("Page title and heading.")
  public String title = "We'll be right back";

  @Default("Our donation site is very busy right now. Please try again in a minute.")
  @Size(max = 2000) @JsonPropertyDescription("Message under the heading.")
  public String message = "Our donation site is very busy right now. Please try again in a minute.";

  @Size(max = 2000) @JsonPropertyDescription(
      "How to donate while the site is down, e.g. a phone number or bank account.")
  public String donateInstructions;

  @JsonPropertyDescription(
      "A ConfigMap in the campaign's namespace whose key holds the whole page as HTML; overrides the fields above.")
  public ConfigMapKeyRef htmlConfigMap;
}

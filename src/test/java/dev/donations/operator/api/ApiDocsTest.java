package dev.donations.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/api.md is exactly what {@link ApiDocs} renders from crds/, so the API reference never lags
 * the CRDs. With {@code -Ddonation.docs.update=true} the test writes docs/api.md instead.
 */
class ApiDocsTest {

  /**
   * Fields the CRDs leave without a description. fabric8's Condition, which the status uses for its
   * conditions, carries none; remove entries here as they get one.
   */
  static final List<String> UNDESCRIBED =
      List.of(
          "CharityCampaign status.conditions[].lastTransitionTime",
          "CharityCampaign status.conditions[].message",
          "CharityCampaign status.conditions[].observedGeneration",
          "CharityCampaign status.conditions[].reason",
          "CharityCampaign status.conditions[].status",
          "CharityCampaign status.conditions[].type");

  @Test
  void docsApiMdIsWhatTheCrdsRenderTo() throws IOException {
    String rendered = ApiDocs.render(ApiDocs.load());
    if (Boolean.getBoolean("donation.docs.update")) {
      Files.createDirectories(ApiDocs.DOC.getParent());
      Files.writeString(ApiDocs.DOC, rendered);
      return;
    }
    String stale =
        "docs/api.md is stale: run " + ApiDocs.UPDATE_COMMAND + " and commit docs/api.md";
    assertThat(ApiDocs.DOC).as(stale).exists();
    assertThat(Files.readString(ApiDocs.DOC)).as(stale).isEqualTo(rendered);
  }

  @Test
  void everyFieldHasARowAndADescription() throws IOException {
    List<CustomResourceDefinition> crds = ApiDocs.load();
    String doc = ApiDocs.render(crds);
    List<String> undescribed = new ArrayList<>();
    for (CustomResourceDefinition crd : crds) {
      String kind = ApiDocs.kind(crd);
      String section = section(doc, kind);
      for (String part : List.of("spec", "status")) {
        for (CrdFields.Field field : ApiDocs.part(crd, part).fields) {
          String row = row(section, field.path());
          assertThat(row).as("%s %s has a row", kind, field.path()).isNotNull();
          String[] cells = row.split("(?<!\\\\)\\|");
          if (cells[cells.length - 1].isBlank()) {
            undescribed.add(kind + " " + field.path());
          }
        }
      }
    }
    assertThat(undescribed)
        .as(
            "fields without a description: describe them in api/v1alpha1 (@JsonPropertyDescription), or update UNDESCRIBED")
        .containsExactlyElementsOf(UNDESCRIBED);
  }

  @Test
  void aCampaignNamesItsClassInARequiredField() throws IOException {
    String campaign = section(ApiDocs.render(ApiDocs.load()), "CharityCampaign");
    assertThat(row(campaign, "spec.className"))
        .startsWith("| `spec.className` | string; pattern ")
        .contains("| yes |")
        .contains("Name of the CampaignClass");
    assertThat(campaign).contains("| Class | string | `.spec.className` | always |");
  }

  /** The part of the doc from the heading of {@code kind} to the next kind. */
  private static String section(String doc, String kind) {
    int start = doc.indexOf("\n## " + kind + "\n");
    assertThat(start).as("a section for %s", kind).isNotNegative();
    int end = doc.indexOf("\n## ", start + 1);
    return doc.substring(start, end < 0 ? doc.length() : end);
  }

  /** The first table row of {@code section} for {@code path}, or null. */
  private static String row(String section, String path) {
    return section.lines().filter(l -> l.startsWith("| `" + path + "` |")).findFirst().orElse(null);
  }
}

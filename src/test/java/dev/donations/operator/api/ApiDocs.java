package dev.donations.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Renders docs/api.md, the API reference of our custom resources, from the committed CRDs in crds/:
 * per kind (alphabetically) its API version, scope, names and printer columns, every spec and
 * status field with its type, constraints and description, and the CEL validation rules. The output
 * depends only on the CRD files, so {@link ApiDocsTest} can compare it with the committed
 * docs/api.md.
 */
final class ApiDocs {

  static final Path CRDS = Path.of("crds");
  static final Path DOC = Path.of("docs", "api.md");
  static final String UPDATE_COMMAND = "./mvnw test -Dtest=ApiDocsTest -Ddonation.docs.update=true";

  private ApiDocs() {}

  /** The CRDs in crds/*.yml, sorted by kind. */
  static List<CustomResourceDefinition> load() throws IOException {
    List<CustomResourceDefinition> crds = new ArrayList<>();
    try (Stream<Path> files = Files.list(CRDS)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
        crds.add(Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class));
      }
    }
    crds.sort(Comparator.comparing(ApiDocs::kind));
    return crds;
  }

  /**
   * The one version of a CRD; a second version would need its own sections, which we do not render.
   */
  static CustomResourceDefinitionVersion version(CustomResourceDefinition crd) {
    List<CustomResourceDefinitionVersion> versions = crd.getSpec().getVersions();
    if (versions.size() != 1) {
      throw new IllegalStateException(
          kind(crd) + " has " + versions.size() + " versions; ApiDocs renders exactly one");
    }
    return versions.get(0);
  }

  /**
   * The fields and rules under {@code spec} or {@code status}; empty when the schema has no such
   * part.
   */
  static CrdFields part(CustomResourceDefinition crd, String name) {
    JSONSchemaProps root = version(crd).getSchema().getOpenAPIV3Schema();
    JSONSchemaProps part = root.getProperties() == null ? null : root.getProperties().get(name);
    return CrdFields.of(name, part == null ? new JSONSchemaProps() : part);
  }

  static String kind(CustomResourceDefinition crd) {
    return crd.getSpec().getNames().getKind();
  }

  static String render(List<CustomResourceDefinition> crds) {
    StringBuilder md = new StringBuilder();
    md.append("# API reference\n\n");
    md.append(
            "Generated from the CRDs in `crds/` by `ApiDocsTest`; do not edit it by hand. Regenerate it with\n`")
        .append(UPDATE_COMMAND)
        .append("`.\n\n");
    md.append(
            "Fields are listed in the order of the CRD. `[]` stands for each item of an array. Required means the\n")
        .append("parent object lists the field in `required`.\n\n");
    for (CustomResourceDefinition crd : crds) {
      md.append("- [")
          .append(kind(crd))
          .append("](#")
          .append(kind(crd).toLowerCase())
          .append("), ")
          .append("Cluster".equals(crd.getSpec().getScope()) ? "cluster-scoped" : "namespaced")
          .append('\n');
    }
    md.append('\n');
    for (CustomResourceDefinition crd : crds) {
      renderKind(md, crd);
    }
    return md.toString().stripTrailing() + "\n";
  }

  private static void renderKind(StringBuilder md, CustomResourceDefinition crd) {
    CustomResourceDefinitionVersion version = version(crd);
    md.append("## ").append(kind(crd)).append("\n\n");
    md.append("- apiVersion: `")
        .append(crd.getSpec().getGroup())
        .append('/')
        .append(version.getName())
        .append("`\n");
    md.append("- Scope: ").append(crd.getSpec().getScope()).append('\n');
    md.append("- Plural: `").append(crd.getSpec().getNames().getPlural()).append("`");
    List<String> shortNames = crd.getSpec().getNames().getShortNames();
    if (shortNames != null && !shortNames.isEmpty()) {
      md.append(", short names: ")
          .append(shortNames.stream().map(ApiDocs::code).collect(Collectors.joining(", ")));
    }
    md.append('\n');
    boolean statusSubresource =
        version.getSubresources() != null && version.getSubresources().getStatus() != null;
    md.append("- Status subresource: ").append(statusSubresource ? "yes" : "no").append("\n\n");

    renderColumns(md, version.getAdditionalPrinterColumns());
    CrdFields spec = part(crd, "spec");
    CrdFields status = part(crd, "status");
    renderFields(md, "spec", spec);
    renderFields(md, "status", status);
    List<CrdFields.Rule> rules = new ArrayList<>(spec.rules);
    rules.addAll(status.rules);
    renderRules(md, rules);
  }

  private static void renderColumns(
      StringBuilder md, List<CustomResourceColumnDefinition> columns) {
    md.append("### Printer columns\n\n");
    if (columns == null || columns.isEmpty()) {
      md.append("None.\n\n");
      return;
    }
    md.append("Columns of `kubectl get`, in this order.\n\n");
    md.append("| Column | Type | JSON path | Shown |\n|---|---|---|---|\n");
    for (CustomResourceColumnDefinition c : columns) {
      boolean wide = c.getPriority() != null && c.getPriority() > 0;
      row(
          md,
          text(c.getName()),
          text(c.getType()),
          code(c.getJsonPath()),
          wide ? "with `-o wide`" : "always");
    }
    md.append('\n');
  }

  private static void renderFields(StringBuilder md, String part, CrdFields flat) {
    md.append("### ").append(part).append("\n\n");
    if (flat.fields.isEmpty()) {
      md.append("No fields.\n\n");
      return;
    }
    md.append("| Field | Type | Required | Description |\n|---|---|---|---|\n");
    for (CrdFields.Field f : flat.fields) {
      row(
          md,
          code(f.path()),
          type(f.schema()),
          f.required() ? "yes" : "",
          text(f.schema().getDescription()));
    }
    md.append('\n');
  }

  private static void renderRules(StringBuilder md, List<CrdFields.Rule> rules) {
    md.append("### Validation rules\n\n");
    if (rules.isEmpty()) {
      md.append("None.\n\n");
      return;
    }
    md.append(
        "CEL rules the API server checks on create and update; rules that use `oldSelf` only on update.\n\n");
    md.append("| Path | Rule | Message |\n|---|---|---|\n");
    for (CrdFields.Rule r : rules) {
      row(md, code(r.path()), code(r.rule()), text(r.message()));
    }
    md.append('\n');
  }

  private static void row(StringBuilder md, String... cells) {
    md.append("| ").append(String.join(" | ", cells)).append(" |\n");
  }

  /** Type and constraints, e.g. {@code integer; default `20`; minimum 20; maximum 32768}. */
  static String type(JSONSchemaProps s) {
    List<String> parts = new ArrayList<>();
    parts.add(typeName(s));
    parts.addAll(constraints(s));
    JSONSchemaProps items = CrdFields.items(s);
    if (items != null && !"object".equals(items.getType())) {
      constraints(items).forEach(c -> parts.add("each " + c));
    }
    return String.join("; ", parts);
  }

  private static String typeName(JSONSchemaProps s) {
    JSONSchemaProps items = CrdFields.items(s);
    JSONSchemaProps values = CrdFields.mapValues(s);
    if (items != null) {
      return "[]" + typeName(items);
    }
    if (values != null) {
      return "map[string]" + typeName(values);
    }
    return s.getType() == null ? "any" : s.getType();
  }

  private static List<String> constraints(JSONSchemaProps s) {
    List<String> c = new ArrayList<>();
    if (s.getDefault() != null) {
      c.add("default " + code(value(s.getDefault())));
    }
    if (s.getFormat() != null) {
      c.add("format " + code(s.getFormat()));
    }
    if (s.getEnum() != null && !s.getEnum().isEmpty()) {
      c.add(
          "one of "
              + s.getEnum().stream().map(v -> code(value(v))).collect(Collectors.joining(", ")));
    }
    if (s.getPattern() != null) {
      c.add("pattern " + code(s.getPattern()));
    }
    if (s.getMinimum() != null) {
      c.add(
          "minimum "
              + number(s.getMinimum())
              + (Boolean.TRUE.equals(s.getExclusiveMinimum()) ? " (exclusive)" : ""));
    }
    if (s.getMaximum() != null) {
      c.add(
          "maximum "
              + number(s.getMaximum())
              + (Boolean.TRUE.equals(s.getExclusiveMaximum()) ? " (exclusive)" : ""));
    }
    if (s.getMinLength() != null) {
      c.add("minLength " + s.getMinLength());
    }
    if (s.getMaxLength() != null) {
      c.add("maxLength " + s.getMaxLength());
    }
    if (s.getMinItems() != null) {
      c.add("minItems " + s.getMinItems());
    }
    if (s.getMaxItems() != null) {
      c.add("maxItems " + s.getMaxItems());
    }
    return c;
  }

  /** A default or enum value as a user writes it in YAML: strings without quotes, unless empty. */
  private static String value(JsonNode v) {
    if (v.isTextual()) {
      return v.asText().isEmpty() ? "\"\"" : v.asText();
    }
    return v.toString();
  }

  /** The CRD holds numeric bounds as doubles; 1.0 reads better as 1. */
  private static String number(double d) {
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  /**
   * A Markdown code span for a table cell: one line, {@code |} escaped, fenced past any backticks.
   */
  static String code(String s) {
    String line = oneLine(s);
    int longest = 0;
    for (int i = 0, run = 0; i < line.length(); i++) {
      run = line.charAt(i) == '`' ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    String fence = "`".repeat(longest + 1);
    String pad = line.startsWith("`") || line.endsWith("`") ? " " : "";
    return fence + pad + line.replace("|", "\\|") + pad + fence;
  }

  /**
   * Prose for a table cell: one line, with the characters that Markdown would take as markup
   * escaped.
   */
  static String text(String s) {
    if (s == null) {
      return "";
    }
    return oneLine(s)
        .replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("*", "\\*")
        .replaceAll("(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", "\\\\_")
        .replaceAll("<(?=[A-Za-z/!?])", "\\\\<");
  }

  private static String oneLine(String s) {
    return s.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}

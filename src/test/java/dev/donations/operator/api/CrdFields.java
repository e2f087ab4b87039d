package dev.donations.operator.api;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The fields and CEL validation rules of one CRD schema, flattened to dotted paths ({@code
 * spec.scaling.maxReplicas}, {@code spec.peakWindows[].start}) in the order of the CRD file:
 * Jackson reads {@code properties} into a LinkedHashMap, and the CRD generator writes them
 * alphabetically. Used by {@link ApiDocs} to write docs/api.md.
 */
final class CrdFields {

  /** A named property: its path, whether its parent lists it in {@code required}, its schema. */
  record Field(String path, boolean required, JSONSchemaProps schema) {}

  /** An {@code x-kubernetes-validations} entry at the path of the schema that carries it. */
  record Rule(String path, String rule, String message) {}

  final List<Field> fields = new ArrayList<>();
  final List<Rule> rules = new ArrayList<>();

  private CrdFields() {}

  /**
   * Flattens {@code schema}, which sits at {@code path} (e.g. "spec"); the root itself is no field.
   */
  static CrdFields of(String path, JSONSchemaProps schema) {
    CrdFields flat = new CrdFields();
    flat.walk(path, schema);
    return flat;
  }

  private void walk(String path, JSONSchemaProps schema) {
    for (ValidationRule r : orEmpty(schema.getXKubernetesValidations())) {
      rules.add(new Rule(path, r.getRule(), r.getMessage()));
    }
    List<String> required = orEmpty(schema.getRequired());
    if (schema.getProperties() != null) {
      schema
          .getProperties()
          .forEach(
              (name, child) -> {
                String childPath = path + "." + name;
                fields.add(new Field(childPath, required.contains(name), child));
                walk(childPath, child);
              });
    }
    JSONSchemaProps items = items(schema);
    if (items != null) {
      walk(path + "[]", items);
    }
    JSONSchemaProps values = mapValues(schema);
    if (values != null) {
      walk(path + ".*", values);
    }
  }

  /** The schema of an array's items, or null. */
  static JSONSchemaProps items(JSONSchemaProps schema) {
    return schema.getItems() == null ? null : schema.getItems().getSchema();
  }

  /** The schema of a map's values ({@code additionalProperties}), or null. */
  static JSONSchemaProps mapValues(JSONSchemaProps schema) {
    return schema.getAdditionalProperties() == null
        ? null
        : schema.getAdditionalProperties().getSchema();
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return Objects.requireNonNullElse(list, List.of());
  }
}

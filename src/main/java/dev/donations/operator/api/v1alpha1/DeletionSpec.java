package dev.donations.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Deletion policies of a campaign; unset takes the class's default. */
public class DeletionSpec {

  @JsonPropertyDescription(
      "Snapshot (final snapshot, waited for), Retain (the database stays) or Delete (no snapshot; only where the class allows it).")
  public DatabaseDeletionPolicy database;

  @JsonPropertyDescription(
      "Retain (the file system stays) or Delete (only where the class allows it).")
  public StorageDeletionPolicy storage;
}

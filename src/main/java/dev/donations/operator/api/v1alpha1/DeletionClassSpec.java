package dev.donations.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** Deletion defaults of a class and the destructive policies it permits. */
public class DeletionClassSpec {

  @Default("Snapshot")
  @JsonPropertyDescription("Database policy when a campaign sets none: Snapshot, Retain or Delete.")
  public DatabaseDeletionPolicy database = DatabaseDeletionPolicy.Snapshot;

  @Default("false")
  @JsonPropertyDescription(
      "Whether campaigns may choose database policy Delete (no final snapshot).")
  public boolean allowDatabaseDelete;

  @Default("Retain")
  @JsonPropertyDescription("Storage policy when a campaign sets none: Retain or Delete.")
  public StorageDeletionPolicy storage = StorageDeletionPolicy.Retain;

  @Default("false")
  @JsonPropertyDescription("Whether campaigns may choose storage policy Delete.")
  public boolean allowStorageDelete;
}

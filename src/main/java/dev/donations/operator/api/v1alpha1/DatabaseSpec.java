package dev.donations.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Size of a campaign's database, and where its data comes from. */
@io.fabric8.generator.annotation.ValidationRule(
    value =
        "has(self.restoreFromSnapshot) == has(oldSelf.restoreFromSnapshot)"
            + " && (!has(self.restoreFromSnapshot) || self.restoreFromSnapshot == oldSelf.restoreFromSnapshot)",
    message =
        "restoreFromSnapshot is chosen when the campaign is created and cannot be added, changed or removed later")
public class DatabaseSpec {

  @Pattern("^db\\.[a-z0-9]+\\.[a-z0-9]+$") @JsonPropertyDescription(
      "RDS instance class; one the class allows. Unset takes the class's default.")
  public String instanceClass;

  @Default("20")
  @Min(20) @Max(32768) @io.fabric8.generator.annotation.ValidationRule(
      value = "self >= oldSelf",
      message = "storageGiB can grow but never shrink")
  @JsonPropertyDescription(
      "Allocated storage in GiB; can grow but never shrink. RDS may grow it to twice this on its own.")
  public int storageGiB = 20;

  @Pattern("^[a-zA-Z][a-zA-Z0-9-]{0,254}$") @JsonPropertyDescription(
      "Create the database from this RDS DB snapshot instead of empty, e.g. the final snapshot of a deleted"
          + " campaign (<instance>-final). The class decides which snapshots are allowed (database.restoreFrom);"
          + " the restored database gets this campaign's own password. Only at creation.")
  public String restoreFromSnapshot;
}

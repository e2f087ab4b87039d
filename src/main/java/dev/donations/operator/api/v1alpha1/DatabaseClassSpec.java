package dev.donations.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** RDS settings of a class. */
@ValidationRule(
    value = "self.defaultInstanceClass in self.allowedInstanceClasses",
    message = "defaultInstanceClass must be one of allowedInstanceClasses")
public class DatabaseClassSpec {

  @Default("mysql")
  @io.fabric8.generator.annotation.ValidationRule(
      value = "self == oldSelf",
      message = "engine cannot change: existing databases keep theirs")
  @JsonPropertyDescription("Database engine: mysql or mariadb.")
  public Engine engine = Engine.mysql;

  @Default("8.0")
  @Pattern("^[0-9]+\\.[0-9]+(\\.[0-9]+)?$") @JsonPropertyDescription("Engine version, e.g. 8.0 for MySQL or 10.11 for MariaDB.")
  public String engineVersion = "8.0";

  @Required
  @JsonPropertyDescription(
      "Name of an existing DB subnet group in the class's VPC. Site pods may open database"
          + " connections only to the IPv4 blocks of its subnets.")
  public String subnetGroupName;

  @JsonPropertyDescription("VPC security groups attached to each database.")
  public List<String> securityGroupIds = List.of();

  @Required
  @Size(min = 1) @JsonPropertyDescription(
      "RDS instance classes campaigns may choose, e.g. db.t4g.medium, db.r6g.large.")
  public List<@Pattern("^db\\.[a-z0-9]+\\.[a-z0-9]+$") String> allowedInstanceClasses;

  @Required
  @JsonPropertyDescription(
      "Instance class used when a campaign does not choose one; must be allowed.")
  public String defaultInstanceClass;

  @Default("true")
  @JsonPropertyDescription("Run each database Multi-AZ (a standby in a second zone).")
  public boolean multiAz = true;

  @Default("1000")
  @io.fabric8.generator.annotation.Min(20) @JsonPropertyDescription(
      "Largest storage in GiB a campaign may ask for; at least 20, the smallest a campaign can ask for.")
  public int maxStorageGiB = 1000;

  @JsonPropertyDescription(
      "Memory in MiB of instance classes the built-in table does not know, or to correct it; used to compute"
          + " RDS's default max_connections {DBInstanceClassMemory/12582880}.")
  public java.util.Map<String, Integer> instanceClassMemoryMiB = java.util.Map.of();

  @Default("10")
  @io.fabric8.generator.annotation.Min(0) @JsonPropertyDescription(
      "Connections kept free of the site's pods, for admins, cron and migrations.")
  public int connectionReserve = 10;

  /** Supported database engines. */
  @Default("SameNamespace")
  @JsonPropertyDescription(
      "Which snapshots a campaign may restore from (spec.database.restoreFromSnapshot): SameNamespace (snapshots"
          + " this operator took of a campaign in the campaign's namespace), Any (any snapshot the operator can"
          + " read) or Disabled.")
  public RestorePolicy restoreFrom = RestorePolicy.SameNamespace;

  /** Which snapshots campaigns may restore from. */
  public enum RestorePolicy {
    SameNamespace,
    Any,
    Disabled
  }

  public enum Engine {
    mysql,
    mariadb
  }
}

package dev.donations.operator.campaign.database;

import dev.donations.operator.campaign.CampaignLabels;
import java.util.Objects;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * What the operator needs to know of a campaign's RDS instance. A class rather than a record: the
 * operator SDK's build step cannot index java.lang.Record.
 */
public final class DatabaseInstance {

  public static final String AVAILABLE = "available";

  private final String identifier;
  private final String state;
  private final String endpoint;
  private final Integer port;
  private final String instanceClass;
  private final int storageGiB;
  private final boolean multiAz;
  private final boolean deletionProtection;
  private final String parameterGroup;
  private final String arn;
  private final String credentialsSecretUid;

  public DatabaseInstance(
      String identifier,
      String state,
      String endpoint,
      Integer port,
      String instanceClass,
      int storageGiB,
      boolean multiAz,
      boolean deletionProtection,
      String parameterGroup,
      String arn,
      String credentialsSecretUid) {
    this.identifier = identifier;
    this.state = state;
    this.endpoint = endpoint;
    this.port = port;
    this.instanceClass = instanceClass;
    this.storageGiB = storageGiB;
    this.multiAz = multiAz;
    this.deletionProtection = deletionProtection;
    this.parameterGroup = parameterGroup;
    this.arn = arn;
    this.credentialsSecretUid = credentialsSecretUid;
  }

  public String arn() {
    return arn;
  }

  /** UID of the connection Secret whose password was last given to the instance. */
  public String credentialsSecretUid() {
    return credentialsSecretUid;
  }

  /** Name of the DB parameter group attached to the instance. */
  public String parameterGroup() {
    return parameterGroup;
  }

  public String identifier() {
    return identifier;
  }

  public String state() {
    return state;
  }

  public String endpoint() {
    return endpoint;
  }

  public Integer port() {
    return port;
  }

  public String instanceClass() {
    return instanceClass;
  }

  public int storageGiB() {
    return storageGiB;
  }

  public boolean multiAz() {
    return multiAz;
  }

  public boolean deletionProtection() {
    return deletionProtection;
  }

  /** States in which RDS changes nothing, so the operator may modify the instance. */
  public boolean available() {
    return AVAILABLE.equals(state);
  }

  /**
   * States in which the instance answers queries: it is available or doing routine work while
   * serving.
   */
  private static final java.util.Set<String> SERVING =
      java.util.Set.of(
          AVAILABLE,
          "backing-up",
          "modifying",
          "storage-optimization",
          "configuring-enhanced-monitoring",
          "configuring-log-exports",
          "maintenance",
          "storage-config-upgrade");

  public boolean serving() {
    return endpoint != null && SERVING.contains(state);
  }

  static DatabaseInstance from(DBInstance db) {
    return new DatabaseInstance(
        db.dbInstanceIdentifier(),
        db.dbInstanceStatus(),
        db.endpoint() == null ? null : db.endpoint().address(),
        db.endpoint() == null ? null : db.endpoint().port(),
        db.dbInstanceClass(),
        db.allocatedStorage() == null ? 0 : db.allocatedStorage(),
        Boolean.TRUE.equals(db.multiAZ()),
        Boolean.TRUE.equals(db.deletionProtection()),
        db.dbParameterGroups().isEmpty()
            ? null
            : db.dbParameterGroups().get(0).dbParameterGroupName(),
        db.dbInstanceArn(),
        db.tagList().stream()
            .filter(t -> CampaignLabels.CREDENTIALS_SECRET_UID_TAG.equals(t.key()))
            .map(t -> t.value())
            .findFirst()
            .orElse(null));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DatabaseInstance d
        && Objects.equals(identifier, d.identifier)
        && Objects.equals(state, d.state)
        && Objects.equals(endpoint, d.endpoint)
        && Objects.equals(port, d.port)
        && Objects.equals(instanceClass, d.instanceClass)
        && storageGiB == d.storageGiB
        && multiAz == d.multiAz
        && deletionProtection == d.deletionProtection
        && Objects.equals(parameterGroup, d.parameterGroup)
        && Objects.equals(arn, d.arn)
        && Objects.equals(credentialsSecretUid, d.credentialsSecretUid);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        identifier,
        state,
        endpoint,
        port,
        instanceClass,
        storageGiB,
        multiAz,
        deletionProtection,
        parameterGroup,
        arn,
        credentialsSecretUid);
  }

  @Override
  public String toString() {
    return "DatabaseInstance["
        + identifier
        + " "
        + state
        + " "
        + instanceClass
        + " "
        + storageGiB
        + "GiB]";
  }
}

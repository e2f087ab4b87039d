package dev.donations.operator.campaign.database;

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

  public DatabaseInstance(
      String identifier,
      String state,
      String endpoint,
      Integer port,
      String instanceClass,
      int storageGiB,
      boolean multiAz,
      boolean deletionProtection) {
    this.identifier = identifier;
    this.state = state;
    this.endpoint = endpoint;
    this.port = port;
    this.instanceClass = instanceClass;
    this.storageGiB = storageGiB;
    this.multiAz = multiAz;
    this.deletionProtection = deletionProtection;
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

  public boolean available() {
    return AVAILABLE.equals(state);
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
        Boolean.TRUE.equals(db.deletionProtection()));
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
        && deletionProtection == d.deletionProtection;
  }

  @Override
  public int hashCode() {
    return Objects.hash(identifier, state, endpoint, port, instanceClass, storageGiB, multiAz, deletionProtection);
  }

  @Override
  public String toString() {
    return "DatabaseInstance[" + identifier + " " + state + " " + instanceClass + " " + storageGiB + "GiB]";
  }
}

package dev.donations.operator.campaign.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus;
import dev.donations.operator.api.v1alpha1.DatabaseDeletionPolicy;
import dev.donations.operator.api.v1alpha1.DeletionSpec;
import dev.donations.operator.aws.AwsClients;
import dev.donations.operator.campaign.TestCampaigns;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.DbSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbSnapshotsResponse;

/** The finalizer stays until the database policy is fulfilled, whatever state RDS is in. */
class DatabaseDeletedTest {

  /** An RDS that answers describes from fixed state and records every call. */
  static final class FakeRds {
    String instanceState; // null: no instance
    String snapshotState; // null: no snapshot
    final List<String> calls = new ArrayList<>();

    RdsClient client() {
      return (RdsClient)
          Proxy.newProxyInstance(
              RdsClient.class.getClassLoader(),
              new Class<?>[] {RdsClient.class},
              (p, m, args) -> {
                calls.add(m.getName());
                switch (m.getName()) {
                  case "describeDBInstances" -> {
                    if (instanceState == null) {
                      throw DbInstanceNotFoundException.builder().message("not found").build();
                    }
                    return DescribeDbInstancesResponse.builder()
                        .dbInstances(
                            DBInstance.builder()
                                .dbInstanceIdentifier("db")
                                .dbInstanceStatus(instanceState)
                                .build())
                        .build();
                  }
                  case "describeDBSnapshots" -> {
                    if (snapshotState == null) {
                      throw DbSnapshotNotFoundException.builder().message("not found").build();
                    }
                    return DescribeDbSnapshotsResponse.builder()
                        .dbSnapshots(DBSnapshot.builder().status(snapshotState).build())
                        .build();
                  }
                  default -> throw new UnsupportedOperationException(m.getName());
                }
              });
    }
  }

  final FakeRds rds = new FakeRds();
  final DatabaseDeleted condition = new DatabaseDeleted();

  DatabaseDeletedTest() {
    condition.aws =
        new AwsClients(null, null) {
          @Override
          public RdsClient rds(String region) {
            return rds.client();
          }
        };
  }

  CharityCampaign campaign(DatabaseDeletionPolicy policy, boolean seen) {
    CharityCampaign c = TestCampaigns.campaign();
    c.setStatus(new CharityCampaignStatus());
    c.getStatus().region = "eu-west-1";
    c.getStatus().deletion = new DeletionSpec();
    c.getStatus().deletion.database = policy;
    if (seen) {
      c.getStatus().database = new CharityCampaignStatus.DatabaseStatus();
      c.getStatus().database.state = "available";
    }
    return c;
  }

  @Test
  void snapshotPolicyWaitsForTheInstanceToGoAndTheSnapshotToBeAvailable() {
    CharityCampaign c = campaign(DatabaseDeletionPolicy.Snapshot, true);
    rds.instanceState = "deleting";
    assertThat(condition.isMet(null, c, null)).isFalse();
    rds.instanceState = null;
    rds.snapshotState = "creating";
    assertThat(condition.isMet(null, c, null)).isFalse();
    rds.snapshotState = "available";
    assertThat(condition.isMet(null, c, null)).isTrue();
  }

  @Test
  void aSnapshotThatNeverAppearsKeepsTheFinalizerForADatabaseThatExisted() {
    rds.instanceState = null;
    rds.snapshotState = null;
    assertThat(condition.isMet(null, campaign(DatabaseDeletionPolicy.Snapshot, true), null))
        .isFalse();
    assertThat(condition.isMet(null, campaign(DatabaseDeletionPolicy.Snapshot, false), null))
        .as("no snapshot is owed for a database that never existed")
        .isTrue();
  }

  @Test
  void retainIsFulfilledAtOnceAndDeleteOnceTheInstanceIsGone() {
    assertThat(condition.isMet(null, campaign(DatabaseDeletionPolicy.Retain, true), null)).isTrue();
    assertThat(rds.calls).isEmpty();
    rds.instanceState = "deleting";
    assertThat(condition.isMet(null, campaign(DatabaseDeletionPolicy.Delete, true), null))
        .isFalse();
    rds.instanceState = null;
    assertThat(condition.isMet(null, campaign(DatabaseDeletionPolicy.Delete, true), null)).isTrue();
  }
}

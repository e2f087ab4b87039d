package dev.donations.operator.campaign.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.NeedsChange;
import dev.donations.operator.campaign.NeedsChangeException;
import dev.donations.operator.campaign.PartError;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.TestCampaigns;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.DescribeDbSnapshotsResponse;
import software.amazon.awssdk.services.rds.model.ListTagsForResourceResponse;
import software.amazon.awssdk.services.rds.model.Tag;

/** Which failures of a restore need a change (phase Failed) and which only need time. */
class SnapshotRestoreTest {

  String snapshotState; // null: no such snapshot
  String snapshotOwner; // the campaign tag of the snapshot, null: none
  final List<String> calls = new ArrayList<>();

  final CharityCampaign campaign = TestCampaigns.campaign();

  SnapshotRestoreTest() {
    campaign.getSpec().database.restoreFromSnapshot = "dc-old-final";
  }

  RdsClient rds() {
    return (RdsClient)
        Proxy.newProxyInstance(
            RdsClient.class.getClassLoader(),
            new Class<?>[] {RdsClient.class},
            (p, m, args) -> {
              calls.add(m.getName());
              switch (m.getName()) {
                case "describeDBSnapshots" -> {
                  if (snapshotState == null) {
                    throw DbSnapshotNotFoundException.builder().message("not found").build();
                  }
                  return DescribeDbSnapshotsResponse.builder()
                      .dbSnapshots(
                          DBSnapshot.builder()
                              .dbSnapshotIdentifier("dc-old-final")
                              .dbSnapshotArn("arn:aws:rds:eu-west-1:0:snapshot:dc-old-final")
                              .status(snapshotState)
                              .build())
                      .build();
                }
                case "listTagsForResource" -> {
                  return ListTagsForResourceResponse.builder()
                      .tagList(
                          snapshotOwner == null
                              ? List.of()
                              : List.of(
                                  Tag.builder()
                                      .key(CampaignLabels.CAMPAIGN_TAG)
                                      .value(snapshotOwner)
                                      .build()))
                      .build();
                }
                case "restoreDBInstanceFromDBSnapshot" -> {
                  return null;
                }
                default -> throw new UnsupportedOperationException(m.getName());
              }
            });
  }

  Throwable restore() {
    ResolvedCampaign resolved = TestCampaigns.resolved(campaign);
    return catchThrowable(() -> SnapshotRestore.restore(rds(), resolved, campaign, new Tag[0]));
  }

  @Test
  void aSnapshotThatDoesNotExistNeedsAChangeAndSaysWhichField() {
    Throwable e = restore();
    assertThat(e).isInstanceOf(NeedsChangeException.class);
    PartError error = PartError.of(e);
    assertThat(error.reason()).isEqualTo(NeedsChange.SNAPSHOT_NOT_FOUND);
    assertThat(error.message())
        .as("its own message, not the AWS root cause's")
        .contains("dc-old-final does not exist", "spec.database.restoreFromSnapshot");
  }

  @Test
  void aSnapshotOfAnotherNamespaceNeedsAChange() {
    snapshotState = "available";
    snapshotOwner = "elsewhere/origin";
    PartError error = PartError.of(restore());
    assertThat(error.reason()).isEqualTo(NeedsChange.SNAPSHOT_NOT_ALLOWED);
    assertThat(error.message()).contains("campaign elsewhere/origin");
    assertThat(calls).doesNotContain("restoreDBInstanceFromDBSnapshot");
  }

  @Test
  void aSnapshotStillBeingTakenIsWaitedFor() {
    snapshotState = "creating";
    Throwable e = restore();
    assertThat(e).isNotInstanceOf(NeedsChangeException.class);
    assertThat(PartError.of(e).reason()).isEqualTo("ProvisioningError");
  }

  @Test
  void anAllowedAvailableSnapshotIsRestored() {
    snapshotState = "available";
    snapshotOwner = campaign.getMetadata().getNamespace() + "/origin";
    assertThat(restore()).isNull();
    assertThat(calls).contains("restoreDBInstanceFromDBSnapshot");
  }
}

package dev.donations.operator.campaign.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.TestCampaigns;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UploadsClaimTest {

  @Test
  void theClaimIsReadWriteManyAndPreBoundToTheCampaignsVolume() {
    ResolvedCampaign resolved = TestCampaigns.resolved(TestCampaigns.campaign());
    var pvc = new UploadsClaim().desired(resolved, null);
    assertThat(pvc.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
    assertThat(pvc.getSpec().getStorageClassName()).isEmpty();
    assertThat(pvc.getSpec().getVolumeName())
        .isEqualTo(CampaignNames.uploadsVolume(resolved.campaign()));
  }

  @Test
  void storageCountsOnlyAvailableMountTargets() {
    var s =
        new EfsStorage(
            "fs-1",
            "available",
            Map.of("subnet-a", "available", "subnet-b", "creating"),
            "fsap-1",
            "available");
    assertThat(s.availableMountTargets()).isEqualTo(1);
    assertThat(s.volumeHandle()).isEqualTo("fs-1::fsap-1");
  }

  @Test
  void theVolumeIsAnEfsCsiVolumeOnTheAccessPointThatOutlivesItsClaim() {
    var campaign = TestCampaigns.campaign();
    var pv =
        UploadsVolume.build(
            campaign, new EfsStorage("fs-1", "available", Map.of(), "fsap-9", "available"));
    assertThat(pv.getSpec().getCsi().getDriver()).isEqualTo("efs.csi.aws.com");
    assertThat(pv.getSpec().getCsi().getVolumeHandle()).isEqualTo("fs-1::fsap-9");
    assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Retain");
    assertThat(pv.getSpec().getClaimRef().getName()).isEqualTo("song-request-uploads");
    assertThat(pv.getSpec().getClaimRef().getNamespace()).isEqualTo("radio");
    assertThat(pv.getSpec().getStorageClassName())
        .as("an empty class is dropped by the API server and would never match")
        .isNull();
  }
}

package dev.donations.operator.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a campaign's owner sees after a reconcile failed. */
class ReconcileErrorStatusTest {

  private final List<CharityCampaignStatus> recorded = new ArrayList<>();
  private final CharityCampaignReconciler reconciler =
      new CharityCampaignReconciler(
          null,
          new CampaignStatusWriter(
              new CampaignEvents(null) {
                @Override
                public void transitions(
                    CharityCampaign campaign,
                    CharityCampaignStatus before,
                    CharityCampaignStatus after) {
                  recorded.add(after);
                }
              }),
          null,
          null,
          null,
          null,
          null,
          null);

  @Test
  void aStatusPatchThatMetANewerVersionIsRetriedWithoutAnErrorInStatus() {
    CharityCampaign campaign = TestCampaigns.campaign();
    KubernetesClientException conflict =
        new KubernetesClientException(
            new StatusBuilder()
                .withCode(409)
                .withReason("Conflict")
                .withMessage(
                    "Operation cannot be fulfilled on charitycampaigns.donations.dev \"again\": the"
                        + " object has been modified; please apply your changes to the latest"
                        + " version and try again")
                .build());

    ErrorStatusUpdateControl<CharityCampaign> control =
        reconciler.updateErrorStatus(campaign, null, new RuntimeException("patch", conflict));

    assertThat(control.getResource()).as("no status patch").isEmpty();
    assertThat(control.isNoRetry()).as("JOSDK retries").isFalse();
    assertThat(recorded).as("no condition flips, no Event").isEmpty();
  }

  @Test
  void anyOtherFailureSaysSoInReady() {
    CharityCampaign campaign = TestCampaigns.campaign();
    KubernetesClientException exists =
        new KubernetesClientException(
            new StatusBuilder().withCode(409).withReason("AlreadyExists").withMessage("x").build());

    ErrorStatusUpdateControl<CharityCampaign> control =
        reconciler.updateErrorStatus(campaign, null, exists);

    assertThat(control.getResource()).isPresent();
    assertThat(Conditions.find(campaign.getStatus().conditions, Conditions.READY))
        .hasValueSatisfying(
            ready -> {
              assertThat(ready.getStatus()).isEqualTo(Conditions.FALSE);
              assertThat(ready.getReason()).isEqualTo("ReconcileError");
            });
  }
}

package dev.donations.operator.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.TestCampaigns;
import dev.donations.operator.campaign.database.RdsDatabase;
import io.javaoperatorsdk.operator.processing.MDCUtils;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * JOSDK's event handling, run on a thread that works for a campaign, removes the campaign's keys
 * from that thread's MDC (RunLogScanIT found a reconcile's "reconcile failed" line without them):
 * the lines logged afterwards still name the campaign.
 */
class CampaignLogFilterTest {

  private final ExecutorService workflowThread = Executors.newSingleThreadExecutor();
  private final CampaignLogFilter filter = new CampaignLogFilter();
  private final CharityCampaign campaign = TestCampaigns.campaign();

  @AfterEach
  void clear() {
    MDC.clear();
    workflowThread.shutdownNow();
  }

  @Test
  void aReconcileLineAfterJosdkHandledAnEventOnTheThreadStillNamesTheCampaign() {
    ResourceID key = ResourceID.fromResource(campaign);
    MDCUtils.addResourceIDInfo(ResourceID.fromResource(campaign)); // JOSDK, before it reconciles
    String id = CampaignLogContext.started(key);
    try {
      // A dependent hands JOSDK an event for another campaign on this thread.
      MDCUtils.addResourceIDInfo(new ResourceID("other", "elsewhere"));
      MDCUtils.removeResourceIDInfo();

      assertThat(logged())
          .containsEntry(CampaignLogContext.NAMESPACE, campaign.getMetadata().getNamespace())
          .containsEntry(CampaignLogContext.NAME, campaign.getMetadata().getName())
          .containsEntry(CampaignLogContext.RECONCILE_ID, id);
    } finally {
      CampaignLogContext.finished(key);
    }
    MDCUtils.removeResourceInfo();
    assertThat(logged()).as("outside a reconcile, nothing is added").isEmpty();
  }

  @Test
  void aDependentsLineAfterJosdkHandledAnEventStillNamesTheCampaignAndTheDependent()
      throws Exception {
    Map<String, String> seen =
        workflowThread
            .submit(
                () ->
                    CampaignLogContext.dependent(
                        RdsDatabase.NAME,
                        campaign,
                        () -> {
                          MDCUtils.addResourceIDInfo(ResourceID.fromResource(campaign));
                          MDCUtils.removeResourceIDInfo();
                          return logged();
                        }))
            .get();
    assertThat(seen)
        .containsEntry(CampaignLogContext.NAMESPACE, campaign.getMetadata().getNamespace())
        .containsEntry(CampaignLogContext.NAME, campaign.getMetadata().getName())
        .containsEntry(CampaignLogContext.DEPENDENT, RdsDatabase.NAME);
    assertThat(workflowThread.submit(this::logged).get())
        .as("after the dependent's work, the thread is as it was")
        .isEmpty();
  }

  @Test
  void jodsksOwnLineAboutAnotherCampaignKeepsThatCampaign() {
    ResourceID key = ResourceID.fromResource(campaign);
    CampaignLogContext.started(key);
    try {
      MDCUtils.addResourceIDInfo(new ResourceID("other", "elsewhere"));
      assertThat(logged())
          .containsEntry(CampaignLogContext.NAMESPACE, "elsewhere")
          .containsEntry(CampaignLogContext.NAME, "other");
      MDCUtils.removeResourceIDInfo();
    } finally {
      CampaignLogContext.finished(key);
    }
  }

  /** The MDC of a line logged now, as the handler formats it after the filter. */
  private Map<String, String> logged() {
    ExtLogRecord line = new ExtLogRecord(Level.WARNING, "a line", getClass().getName());
    assertThat(filter.isLoggable(line)).isTrue();
    return line.getMdcCopy();
  }
}

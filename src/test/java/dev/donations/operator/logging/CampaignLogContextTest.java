package dev.donations.operator.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.TestCampaigns;
import dev.donations.operator.campaign.database.RdsDatabase;
import dev.donations.operator.campaign.storage.EfsFileSystem;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class CampaignLogContextTest {

  private final ExecutorService workflowThread = Executors.newSingleThreadExecutor();

  @AfterEach
  void clear() {
    MDC.clear();
    workflowThread.shutdownNow();
  }

  @Test
  void theEndOfAReconcileLeavesTheIdOfTheNextOneThatAlreadyStartedOnAnotherThread()
      throws Exception {
    CharityCampaign campaign = TestCampaigns.campaign();
    ResourceID key = ResourceID.fromResource(campaign);
    CampaignLogContext.started(key);
    // JOSDK ends event processing before it reports the reconcile finished: the next reconcile of
    // the same campaign may start on another thread in between.
    ExecutorService nextReconcileThread = Executors.newSingleThreadExecutor();
    try {
      String next = nextReconcileThread.submit(() -> CampaignLogContext.started(key)).get();
      CampaignLogContext.finished(key);
      String seen =
          workflowThread
              .submit(
                  () ->
                      CampaignLogContext.dependent(
                          RdsDatabase.NAME,
                          campaign,
                          () -> MDC.get(CampaignLogContext.RECONCILE_ID)))
              .get();
      assertThat(seen).isEqualTo(next);
      nextReconcileThread.submit(() -> CampaignLogContext.finished(key)).get();
    } finally {
      nextReconcileThread.shutdownNow();
    }
  }

  @Test
  void aDependentOnAnotherThreadLogsWithTheRunningReconcilesIdAndGivesTheThreadBackAsItWas()
      throws Exception {
    CharityCampaign campaign = TestCampaigns.campaign();
    String id = CampaignLogContext.started(ResourceID.fromResource(campaign));
    assertThat(MDC.get(CampaignLogContext.RECONCILE_ID)).isEqualTo(id);

    Map<String, String> during =
        workflowThread
            .submit(
                () -> {
                  // What JOSDK's NodeExecutor puts on a workflow thread before it calls the
                  // dependent.
                  MDC.put(CampaignLogContext.NAME, campaign.getMetadata().getName());
                  MDC.put("resource.kind", "CharityCampaign");
                  Map<String, String> seen =
                      CampaignLogContext.dependent(
                          RdsDatabase.NAME, campaign, () -> MDC.getCopyOfContextMap());
                  assertThat(MDC.get(CampaignLogContext.DEPENDENT)).isNull();
                  assertThat(MDC.get(CampaignLogContext.RECONCILE_ID)).isNull();
                  assertThat(MDC.get(CampaignLogContext.NAME))
                      .as("JOSDK's key, put back")
                      .isEqualTo(campaign.getMetadata().getName());
                  assertThat(MDC.get("resource.kind")).isEqualTo("CharityCampaign");
                  return seen;
                })
            .get();

    assertThat(during)
        .containsEntry(CampaignLogContext.RECONCILE_ID, id)
        .containsEntry(CampaignLogContext.DEPENDENT, RdsDatabase.NAME)
        .containsEntry(CampaignLogContext.NAMESPACE, campaign.getMetadata().getNamespace())
        .containsEntry(CampaignLogContext.NAME, campaign.getMetadata().getName());

    CampaignLogContext.finished(ResourceID.fromResource(campaign));
    assertThat(MDC.get(CampaignLogContext.RECONCILE_ID)).isNull();
    String after =
        workflowThread
            .submit(
                () ->
                    CampaignLogContext.dependent(
                        RdsDatabase.NAME, campaign, () -> MDC.get(CampaignLogContext.RECONCILE_ID)))
            .get();
    assertThat(after).as("no reconcile runs any more").isNull();
  }

  @Test
  void everyReconcileGetsItsOwnIdAndOtherCampaignsDoNotShareIt() throws Exception {
    CharityCampaign one = TestCampaigns.campaign("one", "one.example.org", "2026-11-01T00:00:00Z");
    CharityCampaign two = TestCampaigns.campaign("two", "two.example.org", "2026-11-01T00:00:00Z");
    String first = CampaignLogContext.started(ResourceID.fromResource(one));
    CampaignLogContext.finished(ResourceID.fromResource(one));
    String second = CampaignLogContext.started(ResourceID.fromResource(one));
    assertThat(second).isNotEqualTo(first).hasSize(16);

    String forTwo =
        workflowThread
            .submit(
                () ->
                    CampaignLogContext.dependent(
                        EfsFileSystem.NAME, two, () -> MDC.get(CampaignLogContext.RECONCILE_ID)))
            .get();
    assertThat(forTwo).as("the other campaign has no reconcile running").isNull();
    CampaignLogContext.finished(ResourceID.fromResource(one));
  }

  @Test
  void aPollNamesTheCampaignAndTheDependentButNoReconcile() throws Exception {
    CharityCampaign campaign = TestCampaigns.campaign();
    CampaignLogContext.started(ResourceID.fromResource(campaign));
    Map<String, String> poll =
        workflowThread
            .submit(
                () ->
                    CampaignLogContext.poll(
                        RdsDatabase.NAME, campaign, () -> MDC.getCopyOfContextMap()))
            .get();
    assertThat(poll)
        .containsEntry(CampaignLogContext.DEPENDENT, RdsDatabase.NAME)
        .containsEntry(CampaignLogContext.NAME, campaign.getMetadata().getName())
        .doesNotContainKey(CampaignLogContext.RECONCILE_ID);
    CampaignLogContext.finished(ResourceID.fromResource(campaign));
  }

  @Test
  void anEventsResourceInheritedFromAnInformerThreadIsDropped() {
    // What a reconcile thread copies from the informer thread that started it, in JOSDK's keys.
    MDC.put("eventsource.event.resource.name", "some-other-campaign");
    MDC.put("eventsource.name", "CharityCampaign");
    CharityCampaign campaign = TestCampaigns.campaign();
    CampaignLogContext.started(ResourceID.fromResource(campaign));
    assertThat(MDC.getCopyOfContextMap()).containsOnlyKeys(CampaignLogContext.RECONCILE_ID);
    CampaignLogContext.finished(ResourceID.fromResource(campaign));

    MDC.put("eventsource.event.action", "ADDED");
    Map<String, String> poll =
        CampaignLogContext.poll(RdsDatabase.NAME, campaign, () -> MDC.getCopyOfContextMap());
    assertThat(poll).doesNotContainKey("eventsource.event.action");
  }

  @Test
  void aLineAboutADependentNamesIt() {
    List<String> seen = new ArrayList<>();
    CampaignLogContext.about(
        "site-deployment", () -> seen.add(MDC.get(CampaignLogContext.DEPENDENT)));
    assertThat(seen).containsExactly("site-deployment");
    assertThat(MDC.get(CampaignLogContext.DEPENDENT)).isNull();
  }

  @Test
  void theMetricsSetTheIdAroundAReconcileAndPassEveryCallOn() throws Exception {
    CharityCampaign campaign = TestCampaigns.campaign();
    List<String> calls = new ArrayList<>();
    Metrics recording =
        new Metrics() {
          @Override
          public void reconciliationStarted(
              io.fabric8.kubernetes.api.model.HasMetadata resource, Map<String, Object> metadata) {
            calls.add("started " + MDC.get(CampaignLogContext.RECONCILE_ID));
          }

          @Override
          public void reconciliationFinished(
              io.fabric8.kubernetes.api.model.HasMetadata resource,
              io.javaoperatorsdk.operator.api.reconciler.RetryInfo retryInfo,
              Map<String, Object> metadata) {
            calls.add("finished");
          }
        };
    ReconcileLogMetrics metrics = new ReconcileLogMetrics(recording);
    metrics.reconciliationStarted(campaign, Map.of());
    String id = MDC.get(CampaignLogContext.RECONCILE_ID);
    assertThat(id).isNotNull();
    metrics.reconciliationFinished(campaign, null, Map.of());
    assertThat(MDC.get(CampaignLogContext.RECONCILE_ID)).isNull();
    assertThat(calls).containsExactly("started " + id, "finished");

    // A JOSDK upgrade that adds a method must not silently drop a meter: every one is passed on.
    List<String> notPassedOn =
        Arrays.stream(Metrics.class.getMethods())
            .filter(m -> !java.lang.reflect.Modifier.isStatic(m.getModifiers()))
            .filter(m -> !declares(ReconcileLogMetrics.class, m))
            .map(Method::getName)
            .toList();
    assertThat(notPassedOn).isEmpty();
  }

  private static boolean declares(Class<?> type, Method method) {
    try {
      return type.getDeclaredMethod(method.getName(), method.getParameterTypes())
              .getDeclaringClass()
          == type;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}

package dev.donations.operator.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus;
import dev.donations.operator.config.OperatorConfig;
import dev.donations.operator.testbed.Answering;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AwsPolledDependentTest {

  /** A poller whose next describe the test decides. */
  static class Scripted extends AwsPolledDependent<String> {
    final AtomicReference<Object> next = new AtomicReference<>();

    /** What the shared listing answers; null: nothing (describe on its own). */
    final AtomicReference<Optional<String>> shared = new AtomicReference<>();

    /** Whether the shared listing has the resource; empty: the kind has no listing. */
    final AtomicReference<Optional<Boolean>> listed = new AtomicReference<>(Optional.empty());

    int describes;

    Scripted() {
      super(String.class);
      pollErrors = new AwsPollErrors();
      OperatorConfig.Polling polling =
          Answering.proxy(
              OperatorConfig.Polling.class,
              Map.of(
                  "drift", Duration.ofHours(1),
                  "steady", Duration.ofMinutes(5),
                  "provisioning", Duration.ofSeconds(10)));
      config = Answering.proxy(OperatorConfig.class, Map.of("polling", polling));
    }

    @Override
    protected Optional<Boolean> listed(String region, CharityCampaign primary) {
      return listed.get();
    }

    @Override
    protected Optional<String> describe(String region, CharityCampaign primary) {
      describes++;
      Object n = next.get();
      if (n instanceof RuntimeException e) {
        throw e;
      }
      return Optional.ofNullable((String) n);
    }

    @Override
    protected boolean settled(String resource) {
      return resource.endsWith("available");
    }

    @Override
    protected Optional<Optional<String>> fromSnapshot(
        String region, CharityCampaign primary, Observation<String> last) {
      return Optional.ofNullable(shared.get());
    }

    @Override
    protected void delete(String region, CharityCampaign primary) {}
  }

  @Test
  void aFailedDescribeKeepsTheLastStateAndReportsTheError() {
    CharityCampaign c = TestCampaigns.campaign();
    c.setStatus(new CharityCampaignStatus());
    c.getStatus().region = "eu-west-1";
    Scripted poller = new Scripted();
    poller.next.set("db-available");
    assertThat(poller.fetchResources(c)).containsExactly("db-available");
    poller.next.set(new IllegalStateException("Rate exceeded"));
    assertThat(poller.fetchResources(c))
        .as("not empty: empty would mean 'gone' and trigger a create")
        .containsExactly("db-available");
    assertThat(poller.pollErrors.last(poller.name(), c)).get().asString().contains("Rate exceeded");
    poller.next.set("db-available");
    poller.fetchResources(c);
    assertThat(poller.pollErrors.last(poller.name(), c)).isEmpty();
  }

  static CharityCampaign campaignInRegion() {
    CharityCampaign c = TestCampaigns.campaign();
    c.setStatus(new CharityCampaignStatus());
    c.getStatus().region = "eu-west-1";
    return c;
  }

  @Test
  void aSettledResourceIsReadFromTheSharedListingAndATransitionIsDescribedOnItsOwn() {
    CharityCampaign c = campaignInRegion();
    Scripted poller = new Scripted();
    poller.next.set("db-creating");
    poller.shared.set(Optional.of("db-creating"));
    assertThat(poller.fetchResources(c))
        .as("in a transition: described")
        .containsExactly("db-creating");
    poller.next.set("db-available");
    assertThat(poller.fetchResources(c)).containsExactly("db-available");
    assertThat(poller.describes).isEqualTo(2);

    poller.shared.set(Optional.of("db-resized-available"));
    poller.next.set(new IllegalStateException("must not be called"));
    assertThat(poller.fetchResources(c))
        .as("settled: from the listing")
        .containsExactly("db-resized-available");
    assertThat(poller.fetchResources(c)).containsExactly("db-resized-available");
    assertThat(poller.describes).isEqualTo(2);
  }

  @Test
  void afterARestartASettledListedResourceIsNotDescribedOnItsOwn() {
    CharityCampaign c = campaignInRegion();
    Scripted poller = new Scripted();
    poller.shared.set(Optional.of("db-available"));
    poller.next.set(new IllegalStateException("must not be called"));
    assertThat(poller.fetchResources(c)).containsExactly("db-available");
    assertThat(poller.describes).isZero();
  }

  @Test
  void aSettledResourceMissingFromTheListingIsDescribedBeforeItCountsAsGone() {
    CharityCampaign c = campaignInRegion();
    Scripted poller = new Scripted();
    poller.next.set("db-available");
    poller.fetchResources(c);
    poller.shared.set(Optional.empty());
    assertThat(poller.fetchResources(c))
        .as("listed before it existed: the describe finds it")
        .containsExactly("db-available");
    assertThat(poller.describes).isEqualTo(2);
    poller.next.set(null);
    assertThat(poller.fetchResources(c)).as("really gone").isEmpty();
  }

  @Test
  void nothingIsDescribedBeforeTheRegionIsRecorded() {
    Scripted poller = new Scripted();
    poller.next.set(new IllegalStateException("must not be called"));
    assertThat(poller.fetchResources(TestCampaigns.campaign())).isEmpty();
  }

  @Test
  void aResourceNotYetCreatedCostsNoDescribeOfItsOwnUntilTheCreate() {
    CharityCampaign c = campaignInRegion();
    Scripted poller = new Scripted();
    poller.listed.set(Optional.of(false));
    poller.next.set(new IllegalStateException("must not be called"));
    for (int poll = 0; poll < 5; poll++) {
      assertThat(poller.fetchResources(c)).as("absent, from the shared listing").isEmpty();
    }
    assertThat(poller.describes).isZero();

    poller.onCreated(c, "db-creating", null);
    poller.next.set("db-creating");
    assertThat(poller.fetchResources(c))
        .as("the create starts a transition, described on its own")
        .containsExactly("db-creating");
    assertThat(poller.describes).isEqualTo(1);
  }

  @Test
  void anAbsenceFoundByADescribeStandsWithoutAnotherUntilTheCreate() {
    CharityCampaign c = campaignInRegion();
    Scripted poller = new Scripted();
    poller.next.set(null);
    assertThat(poller.fetchResources(c)).as("no listing for the kind: described once").isEmpty();
    assertThat(poller.fetchResources(c)).isEmpty();
    assertThat(poller.fetchResources(c)).isEmpty();
    assertThat(poller.describes).isEqualTo(1);
    poller.onCreated(c, "bucket-creating", null);
    poller.next.set("bucket-available");
    assertThat(poller.fetchResources(c)).containsExactly("bucket-available");
    assertThat(poller.describes).isEqualTo(2);
  }

  @Test
  void aResourceListedAfterARestartIsObservedNotTakenForAbsent() {
    CharityCampaign c = campaignInRegion();
    Scripted poller = new Scripted();
    poller.listed.set(Optional.of(true));
    poller.next.set("db-modifying");
    assertThat(poller.fetchResources(c)).containsExactly("db-modifying");
    assertThat(poller.describes).isEqualTo(1);
  }

  @Test
  void aCreateThatFinishesDuringAPollWinsOverThePollsAbsence() {
    CharityCampaign c = campaignInRegion();
    Scripted poller =
        new Scripted() {
          @Override
          protected Optional<String> describe(String region, CharityCampaign primary) {
            // The reconcile's create lands while this describe is on the wire.
            onCreated(primary, "db-creating", null);
            return Optional.empty();
          }
        };
    assertThat(poller.fetchResources(c))
        .as("not absent: that would make the next reconcile create it again")
        .containsExactly("db-creating");
  }
}

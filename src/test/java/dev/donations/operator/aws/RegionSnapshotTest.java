package dev.donations.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RegionSnapshotTest {

  final AtomicLong clock = new AtomicLong();
  final Map<String, Map<String, String>> aws = new HashMap<>();
  final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  final Map<String, Integer> calls = new HashMap<>();
  final RegionSnapshot<String> snapshot =
      new RegionSnapshot<>(
          "things",
          region -> {
            calls.merge(region, 1, Integer::sum);
            if (failure.get() != null) {
              throw failure.get();
            }
            return Map.copyOf(aws.getOrDefault(region, Map.of()));
          },
          () -> Duration.ofSeconds(60),
          () -> Duration.ofSeconds(10),
          clock::get);

  void advance(int seconds) {
    clock.addAndGet(Duration.ofSeconds(seconds).toNanos());
  }

  @Test
  void oneListingPerRegionAndPeriodServesEveryCampaign() {
    aws.put("eu-west-1", Map.of("db-a", "available", "db-b", "available", "db-c", "creating"));
    for (String key : new String[] {"db-a", "db-b", "db-c", "db-missing"}) {
      snapshot.get("eu-west-1", key);
    }
    assertThat(calls).containsExactly(Map.entry("eu-west-1", 1));
    assertThat(snapshot.get("eu-west-1", "db-c")).contains("creating");
    assertThat(snapshot.get("eu-west-1", "db-missing")).isEmpty();

    advance(59);
    snapshot.get("eu-west-1", "db-a");
    assertThat(calls.get("eu-west-1")).as("still fresh").isEqualTo(1);
    advance(1);
    aws.put("eu-west-1", Map.of("db-a", "modifying"));
    assertThat(snapshot.get("eu-west-1", "db-a")).contains("modifying");
    assertThat(snapshot.get("eu-west-1", "db-b")).as("gone from the listing").isEmpty();
    assertThat(calls.get("eu-west-1")).isEqualTo(2);

    snapshot.get("us-east-1", "db-a");
    assertThat(calls).containsEntry("us-east-1", 1);
  }

  @Test
  void aNewerObservationOfOneResourceWinsOverAnOlderListing() {
    aws.put("eu-west-1", Map.of("db-a", "creating"));
    assertThat(snapshot.get("eu-west-1", "db-a")).contains("creating");
    advance(5);
    snapshot.record("eu-west-1", "db-a", "available");
    snapshot.record("eu-west-1", "db-new", "creating");
    assertThat(snapshot.get("eu-west-1", "db-a")).contains("available");
    assertThat(snapshot.get("eu-west-1", "db-new")).contains("creating");

    advance(60);
    aws.put("eu-west-1", Map.of("db-a", "available"));
    assertThat(snapshot.get("eu-west-1", "db-new"))
        .as("recorded before this listing, not listed: gone")
        .isEmpty();
  }

  @Test
  void aFailingListingIsRetriedOncePerRetryPeriodAndEveryReaderSeesTheError() {
    failure.set(new IllegalStateException("Rate exceeded"));
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> snapshot.get("eu-west-1", "db-a")).hasMessage("Rate exceeded");
    }
    assertThat(calls.get("eu-west-1")).isEqualTo(1);
    advance(10);
    failure.set(null);
    aws.put("eu-west-1", Map.of("db-a", "available"));
    assertThat(snapshot.get("eu-west-1", "db-a")).contains("available");
    assertThat(calls.get("eu-west-1")).isEqualTo(2);
    assertThat(snapshot.listings()).isEqualTo(2);
  }

  @Test
  void aListingThatFailsSlowlyAnswersTheCampaignsThatWaitedForIt() {
    RegionSnapshot<String> slow =
        new RegionSnapshot<>(
            "things",
            region -> {
              calls.merge(region, 1, Integer::sum);
              advance(30); // the SDK's retries while AWS throttles: longer than retryAfter
              throw new IllegalStateException("Rate exceeded");
            },
            () -> Duration.ofSeconds(60),
            () -> Duration.ofSeconds(10),
            clock::get);
    for (int campaign = 0; campaign < 5; campaign++) {
      assertThatThrownBy(() -> slow.get("eu-west-1", "db-a")).hasMessage("Rate exceeded");
    }
    assertThat(calls)
        .as("one listing, not one per campaign")
        .containsExactly(Map.entry("eu-west-1", 1));
  }
}

package dev.donations.operator.campaign.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The subnets of a class's DB subnet group are looked up per region and group, not per campaign.
 */
class DatabaseSubnetsTest {

  static final Duration DRIFT = Duration.ofHours(1);
  static final Duration RETRY = Duration.ofSeconds(10);

  final AtomicLong now = new AtomicLong();
  final List<String> calls = new ArrayList<>();
  SubnetLookup answer = SubnetLookup.found("private", List.of("10.42.0.0/24"));

  final DatabaseSubnets subnets =
      new DatabaseSubnets(
          (region, group) -> {
            calls.add(region + "/" + group);
            return answer;
          },
          () -> DRIFT,
          () -> RETRY,
          now::get);

  @Test
  void everyCampaignOfAClassSharesOneLookUpPerDriftPeriod() {
    for (int campaign = 0; campaign < 100; campaign++) {
      assertThat(subnets.of("eu-west-1", "private").cidrs()).containsExactly("10.42.0.0/24");
    }
    assertThat(calls).containsExactly("eu-west-1/private");

    now.addAndGet(DRIFT.minusSeconds(1).toNanos());
    subnets.of("eu-west-1", "private");
    assertThat(calls).hasSize(1);

    now.addAndGet(Duration.ofSeconds(2).toNanos());
    answer = SubnetLookup.found("private", List.of("10.42.0.0/24", "10.42.9.0/24"));
    assertThat(subnets.of("eu-west-1", "private").cidrs()).contains("10.42.9.0/24");
    assertThat(calls).hasSize(2);
  }

  @Test
  void anotherGroupOrRegionIsItsOwnLookUp() {
    subnets.of("eu-west-1", "private");
    subnets.of("eu-west-1", "other");
    subnets.of("us-east-1", "private");
    subnets.of("eu-west-1", "private");
    assertThat(calls).containsExactly("eu-west-1/private", "eu-west-1/other", "us-east-1/private");
    assertThat(subnets.lookUps()).isEqualTo(3);
  }

  @Test
  void aFailedLookUpIsRetriedAfterTheRetryPeriodNotPerCampaign() {
    answer = SubnetLookup.problem("private", SubnetLookup.UNREADABLE, "AccessDenied");
    for (int campaign = 0; campaign < 50; campaign++) {
      assertThat(subnets.of("eu-west-1", "private").destinations()).isEmpty();
    }
    assertThat(calls).hasSize(1);

    now.addAndGet(RETRY.plusSeconds(1).toNanos());
    answer = SubnetLookup.found("private", List.of("10.42.0.0/24"));
    assertThat(subnets.of("eu-west-1", "private").destinations()).isPresent();
    assertThat(calls).hasSize(2);
  }
}

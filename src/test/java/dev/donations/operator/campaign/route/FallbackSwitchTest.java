package dev.donations.operator.campaign.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FallbackSwitchTest {

  static final Instant T0 = Instant.parse("2026-12-18T17:00:00Z");
  final FallbackSwitch sw = new FallbackSwitch(Duration.ofSeconds(30));

  static EndpointSlice slice(Boolean... ready) {
    var b = new EndpointSliceBuilder().withAddressType("IPv4");
    for (int i = 0; i < ready.length; i++) {
      b.addNewEndpoint()
          .withAddresses("10.0.0." + (i + 1))
          .withNewConditions()
          .withReady(ready[i])
          .endConditions()
          .endEndpoint();
    }
    return b.build();
  }

  @Test
  void noReadyEndpointSendsVisitorsToTheFallbackAtOnce() {
    RouteTarget t = sw.decide("radio/a", List.of(slice(false, false)), Optional.of(false), T0);
    assertThat(t.fallback()).isTrue();
    assertThat(t.reason()).isEqualTo("NoReadyEndpoints");
    assertThat(sw.decide("radio/a", List.of(), Optional.of(false), T0).fallback())
        .as("no slice at all")
        .isTrue();
  }

  @Test
  void theSiteGetsVisitorsBackOnlyAfterStayingReadyForTheHoldDown() {
    RouteTarget first = sw.decide("radio/a", List.of(slice(true)), Optional.of(true), T0);
    assertThat(first.fallback()).isTrue();
    assertThat(first.reason()).isEqualTo("HoldDown");
    assertThat(first.recheckAt()).contains(T0.plusSeconds(30));
    assertThat(
            sw.decide("radio/a", List.of(slice(true)), Optional.of(true), T0.plusSeconds(29))
                .fallback())
        .isTrue();
    RouteTarget back =
        sw.decide("radio/a", List.of(slice(true)), Optional.of(true), T0.plusSeconds(30));
    assertThat(back.fallback()).isFalse();
    assertThat(back.reason()).isEqualTo("SiteServing");
  }

  @Test
  void aFlapRestartsTheHoldDown() {
    sw.decide("radio/a", List.of(slice(true)), Optional.of(true), T0);
    assertThat(
            sw.decide("radio/a", List.of(slice(false)), Optional.of(true), T0.plusSeconds(20))
                .fallback())
        .isTrue();
    RouteTarget again =
        sw.decide("radio/a", List.of(slice(true)), Optional.of(true), T0.plusSeconds(25));
    assertThat(again.recheckAt()).contains(T0.plusSeconds(55));
    assertThat(
            sw.decide("radio/a", List.of(slice(true)), Optional.of(true), T0.plusSeconds(40))
                .fallback())
        .isTrue();
  }

  @Test
  void aCampaignWithoutADecisionYetIsNotHeldBack() {
    assertThat(sw.decide("radio/a", List.of(slice(true)), Optional.empty(), T0).fallback())
        .isFalse();
  }

  @Test
  void readinessLeftUnsetCountsAsReadyAndAnAddressInTwoSlicesCountsOnce() {
    EndpointSlice unknown =
        new EndpointSliceBuilder()
            .withAddressType("IPv4")
            .addNewEndpoint()
            .withAddresses("10.0.0.1")
            .endEndpoint()
            .build();
    assertThat(FallbackSwitch.readyEndpoints(List.of(unknown, slice(true), slice(false, true))))
        .isEqualTo(2);
  }
}

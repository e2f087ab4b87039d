package dev.donations.operator.campaign.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionBudgetTest {

  @Test
  void theRdsFormulaGivesThePublishedFigures() {
    // 1 GiB classes land near 66 connections, 16 GiB near 1,300 (RDS user guide; measured on
    // t2.micro).
    assertThat(ConnectionBudget.compute(1024, 1, 1, 0).instanceClassLimit()).isEqualTo(65);
    assertThat(ConnectionBudget.compute(16384, 1, 1, 0).instanceClassLimit()).isBetween(1250, 1320);
  }

  @Test
  void aBudgetThatFitsGetsAQuarterHeadroom() {
    ConnectionBudget b = ConnectionBudget.compute(16384, 30, 10, 10);
    assertThat(b.required()).isEqualTo(310);
    assertThat(b.sufficient()).isTrue();
    assertThat(b.configured()).isEqualTo(388);
    assertThat(b.effectiveMaxReplicas()).isEqualTo(30);
  }

  @Test
  void anOverBudgetSiteIsCappedAndToldWhatToChange() {
    ConnectionBudget b = ConnectionBudget.compute(4096, 40, 10, 10);
    assertThat(b.required()).isEqualTo(410);
    assertThat(b.sufficient()).isFalse();
    assertThat(b.configured()).isEqualTo(b.instanceClassLimit());
    assertThat(b.effectiveMaxReplicas()).isEqualTo((b.instanceClassLimit() - 10) / 10);
    assertThat(b.effectiveMaxReplicas() * 10 + 10).isLessThanOrEqualTo(b.configured());
    assertThat(b.describe("db.t4g.medium"))
        .contains(
            "410 connections",
            "db.t4g.medium allows " + b.instanceClassLimit(),
            "capped at " + b.effectiveMaxReplicas() + " pods",
            "larger instance class");
  }

  @Test
  void instanceClassMemoryComesFromTheFamilyOrTheClassTable() {
    assertThat(InstanceClassMemory.mib("db.t4g.medium", Map.of())).contains(4096);
    assertThat(InstanceClassMemory.mib("db.r6g.large", Map.of())).contains(16384);
    assertThat(InstanceClassMemory.mib("db.m7g.2xlarge", Map.of())).contains(32768);
    assertThat(InstanceClassMemory.mib("db.x2iedn.xlarge", Map.of())).isEmpty();
    assertThat(InstanceClassMemory.mib("db.x2iedn.xlarge", Map.of("db.x2iedn.xlarge", 131072)))
        .contains(131072);
  }
}

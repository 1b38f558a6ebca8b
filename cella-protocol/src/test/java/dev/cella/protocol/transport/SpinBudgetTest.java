package dev.cella.protocol.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpinBudgetTest {
  @Test
  void shortWaits_keepTheFloor() {
    SpinBudget budget = new SpinBudget(50_000, 1_000_000);
    for (int i = 0; i < 20; i++) {
      budget.record(500);
    }
    assertThat(budget.nanos()).isEqualTo(50_000);
  }

  @Test
  void waitsLongerThanTheFloor_growTheBudget_toTwiceTheirAverage_atMostTheCeiling() {
    SpinBudget budget = new SpinBudget(50_000, 1_000_000);
    for (int i = 0; i < 40; i++) {
      budget.record(120_000);
    }
    assertThat(budget.nanos()).isBetween(230_000L, 240_000L);
    for (int i = 0; i < 40; i++) {
      budget.record(450_000);
    }
    assertThat(budget.nanos()).isBetween(890_000L, 900_000L);
  }

  @Test
  void whileSpinning_everyEighthRoundReadsTheClock_onceYielding_everyRound() {
    int reads = 0;
    for (int round = 1; round <= 64; round++) {
      reads += SpinBudget.readsClock(round, 0) ? 1 : 0;
    }
    assertThat(reads).isEqualTo(8);
    for (int round = 1; round <= 64; round++) {
      assertThat(SpinBudget.readsClock(round, 10_000)).isTrue();
    }
  }

  @Test
  void anIdlePeer_fallsBackToTheFloor() {
    SpinBudget budget = new SpinBudget(50_000, 1_000_000);
    for (int i = 0; i < 40; i++) {
      budget.record(5_000_000);
    }
    assertThat(budget.nanos()).isEqualTo(50_000);
  }

  @Test
  void afterARing_aPeerThatComesStraightBack_keepsTheBudget_anIdleOneGetsNone() {
    SpinBudget budget = new SpinBudget(50_000, 1_000_000);
    for (int i = 0; i < 20; i++) {
      budget.record(30_000);
    }
    assertThat(budget.afterRingNanos()).isBetween(59_000L, 60_000L);
    for (int i = 0; i < 40; i++) {
      budget.record(2_000_000);
    }
    assertThat(budget.afterRingNanos()).isZero();
    assertThat(budget.nanos()).isEqualTo(50_000);
  }
}

package io.moelora.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SuiteGroupsTest {

  @Test
  void suitesBelongToTheirFamilyWhateverTheirCase() {
    assertThat(SuiteGroups.groupOf("gsm8k")).contains(SuiteGroups.MATH);
    assertThat(SuiteGroups.groupOf("GSM8K")).contains(SuiteGroups.MATH);
    assertThat(SuiteGroups.groupOf("ARC-Easy")).contains(SuiteGroups.COMMONSENSE);
    assertThat(SuiteGroups.groupOf("boolq")).contains(SuiteGroups.COMMONSENSE);
  }

  @Test
  void syntheticSuitesCountWithTheFamilyTheyImitate() {
    assertThat(SuiteGroups.groupOf("synthetic-addsub")).contains(SuiteGroups.MATH);
    assertThat(SuiteGroups.groupOf("synthetic-choice")).contains(SuiteGroups.COMMONSENSE);
    assertThat(SuiteGroups.groupOf("synthetic-truefalse")).contains(SuiteGroups.COMMONSENSE);
  }

  @Test
  void unknownSuitesBelongToNoGroup() {
    assertThat(SuiteGroups.groupOf("my-own-suite")).isEmpty();
  }

  @Test
  void groupsDoNotOverlap() {
    assertThat(SuiteGroups.MATH_SUITES).doesNotContainAnyElementsOf(SuiteGroups.COMMONSENSE_SUITES);
    assertThat(SuiteGroups.MATH_SUITES).hasSize(8);
    assertThat(SuiteGroups.COMMONSENSE_SUITES).hasSize(10);
  }
}

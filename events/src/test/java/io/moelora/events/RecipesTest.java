package io.moelora.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repository's recipes/ and the loader that reads them with --set overrides. */
class RecipesTest {

  private static final List<String> CPU = List.of("lora-r8", "moelora-4x2-top2", "moelora-4x2-top2-nocl",
      "moelora-8x1-top2");
  private static final List<String> GPU = List.of("llama-7b-math10k-lora", "llama-7b-math10k-moelora");

  /** The repository's recipes directory, found upwards from the module the test runs in. */
  static Path recipesDir() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("recipes")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir.resolve("recipes");
      }
    }
    throw new IllegalStateException("no recipes/ directory above " + Path.of("").toAbsolutePath());
  }

  private static JobSpec recipe(String name) {
    return Recipes.load(Recipes.find(recipesDir(), name), Map.of());
  }

  @Test
  void everyRecipeLoadsAndSaysWhatItIs() throws IOException {
    List<String> names = Recipes.names(recipesDir());
    assertThat(names).containsAll(CPU).containsAll(GPU);
    for (String name : names) {
      Path file = Recipes.find(recipesDir(), name);
      JobSpec spec = Recipes.load(file, Map.of());
      assertThat(spec.jobId()).as(name).isEqualTo(name);
      assertThat(spec.experiment()).as(name).isNull();
      String text = Files.readString(file);
      assertThat(text).as(name).startsWith("# " + name + ":").contains("Run:");
    }
  }

  @Test
  void theCpuRecipesHaveEqualTotalRankAndDifferOnlyInTheAdapter() {
    JobSpec lora = recipe("lora-r8");
    assertThat(lora.adapter().type()).isEqualTo(AdapterType.LORA);
    for (String name : CPU) {
      JobSpec spec = recipe(name);
      AdapterSpec a = spec.adapter();
      // Equal A/B parameters: N experts of rank r_e hold N * r_e rows, the LoRA pair r rows.
      assertThat(a.experts() * a.rank()).as(name).isEqualTo(8);
      assertThat(a.alpha() / (a.experts() * a.rank())).as(name + " scale").isEqualTo(2.0);
      assertThat(a.targets()).as(name).isEqualTo(lora.adapter().targets());
      assertThat(spec.baseModel()).as(name).isEqualTo("tiny");
      assertThat(spec.optimizer()).as(name).isEqualTo(lora.optimizer());
      assertThat(spec.batching()).as(name).isEqualTo(lora.batching());
      assertThat(spec.checkpoint()).as(name).isEqualTo(lora.checkpoint());
      assertThat(spec.checkpoint().everySeconds()).as(name + ": checkpoints by examples only").isZero();
      assertThat(spec.eval()).as(name).isEqualTo(lora.eval());
    }
    AdapterSpec withCl = recipe("moelora-4x2-top2").adapter();
    AdapterSpec noCl = recipe("moelora-4x2-top2-nocl").adapter();
    assertThat(withCl.contrastiveWeight()).isPositive();
    assertThat(noCl.contrastiveWeight()).isZero();
    assertThat(noCl).isEqualTo(new AdapterSpec(withCl.type(), withCl.rank(), withCl.alpha(), withCl.experts(),
        withCl.topK(), withCl.targets(), withCl.dropout(), 0.0, withCl.temperature(), withCl.maxSamples(),
        withCl.balanceWeight()));
    assertThat(recipe("moelora-8x1-top2").adapter().experts()).isEqualTo(8);
  }

  @Test
  void theGpuRecipesFollowTheLlmAdaptersSetting() {
    for (String name : GPU) {
      JobSpec spec = recipe(name);
      assertThat(spec.baseModel()).isEqualTo("llama-7b-hf");
      assertThat(spec.optimizer()).isEqualTo(new OptimizerSpec(3e-4, 100, 0.0));
      assertThat(spec.batching()).isEqualTo(new BatchingSpec(4, 4, 256));
      assertThat(spec.adapter().experts() * spec.adapter().rank()).as(name).isEqualTo(32);
      assertThat(spec.adapter().alpha()).isEqualTo(64.0);
      assertThat(spec.adapter().targets()).containsExactly("q_proj", "k_proj", "v_proj", "up_proj", "down_proj");
      assertThat(spec.eval().suites()).containsExactly("math");
      assertThat(spec.eval().decoding()).isEqualTo(Decoding.BEAM4);
    }
    AdapterSpec moe = recipe("llama-7b-math10k-moelora").adapter();
    assertThat(List.of(moe.experts(), moe.topK())).containsExactly(8, 2);
    assertThat(List.of(moe.contrastiveWeight(), moe.temperature(), moe.balanceWeight()))
        .containsExactly(0.1, 0.1, 0.01);
  }

  @Test
  void setsOverrideDottedPathsWithTheFieldsTypes() {
    Map<String, String> sets = new LinkedHashMap<>();
    sets.put("adapter.rank", "4");
    sets.put("optimizer.lr", "1e-4");
    sets.put("jobId", "x");
    sets.put("maxExamples", "500");
    sets.put("eval.suites", "synthetic-addsub, synthetic-choice");
    sets.put("experiment", "cmp-1");
    sets.put("paused", "true");
    sets.put("eval.decoding", "beam4");
    sets.put("eval.limit", "null");
    JobSpec spec = Recipes.load(Recipes.find(recipesDir(), "moelora-4x2-top2"), sets);
    assertThat(spec.adapter().rank()).isEqualTo(4);
    assertThat(spec.adapter().experts()).isEqualTo(4);
    assertThat(spec.optimizer().lr()).isEqualTo(1e-4);
    assertThat(spec.jobId()).isEqualTo("x");
    assertThat(spec.maxExamples()).isEqualTo(500L);
    assertThat(spec.eval().suites()).containsExactly("synthetic-addsub", "synthetic-choice");
    assertThat(spec.eval().decoding()).isEqualTo(Decoding.BEAM4);
    assertThat(spec.eval().limit()).as("null removes the field: its default").isEqualTo(EvalSpec.DEFAULTS.limit());
    assertThat(spec.experiment()).isEqualTo("cmp-1");
    assertThat(spec.paused()).isTrue();
  }

  @Test
  void badKeysAndValuesNameTheKey() {
    Path file = Recipes.find(recipesDir(), "lora-r8");
    assertThatThrownBy(() -> Recipes.load(file, Map.of("adapter.rnak", "4")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("lora-r8.yaml: unknown key 'adapter.rnak': adapter has [type, rank,");
    assertThatThrownBy(() -> Recipes.load(file, Map.of("adapter.rank", "abc")))
        .hasMessage("lora-r8.yaml: adapter.rank must be an integer, got 'abc'");
    assertThatThrownBy(() -> Recipes.load(file, Map.of("optimizer.lr", "NaN")))
        .hasMessage("lora-r8.yaml: optimizer.lr must be a finite number, got 'NaN'");
    assertThatThrownBy(() -> Recipes.load(file, Map.of("paused", "yes")))
        .hasMessage("lora-r8.yaml: paused must be true or false, got 'yes'");
    assertThatThrownBy(() -> Recipes.load(file, Map.of("adapter.type", "gpt")))
        .hasMessage("lora-r8.yaml: adapter.type must be one of [lora, moelora], got 'gpt'");
    assertThatThrownBy(() -> Recipes.load(file, Map.of("adapter", "4")))
        .hasMessageStartingWith("lora-r8.yaml: key 'adapter' is an object: set one of its fields, [adapter.type,");
    assertThatThrownBy(() -> Recipes.load(file, Map.of("jobId.x", "4")))
        .hasMessage("lora-r8.yaml: unknown key 'jobId.x': jobId has no fields");
    // Well-typed but out of range: the spec's own validation, with its field path.
    assertThatThrownBy(() -> Recipes.load(file, Map.of("adapter.rank", "0")))
        .hasMessage("lora-r8.yaml: JobSpec: adapter.rank must be in [1, 1024], got 0");
    assertThatThrownBy(() -> Recipes.load(file, Map.of("adapter.experts", "4")))
        .hasMessageContaining("adapter.experts and adapter.topK must be 1 for type lora");
    assertThatThrownBy(() -> Recipes.load(file, Map.of("jobId", "a b")))
        .hasMessage("lora-r8.yaml: JobSpec: jobId must match [A-Za-z0-9._-]{1,128}, got 'a b'");
  }

  @Test
  void yamlTextIsCheckedAndYamlNumbersWithoutADotAreNumbers(@TempDir Path dir) throws IOException {
    JobSpec spec = Recipes.parse("jobId: y\nbaseModel: builtin:tiny\noptimizer: {lr: 3e-4}\n", true, Map.of());
    assertThat(spec.optimizer().lr()).isEqualTo(3e-4);
    assertThat(spec.schemaVersion()).isEqualTo(EventSchema.CURRENT);
    assertThatThrownBy(() -> Recipes.parse("jobId: y\nbaseModel: builtin:tiny\nadpater: {rank: 4}\n", true,
        Map.of())).hasMessageStartingWith("unknown field 'adpater': a JobSpec has [schemaVersion, jobId,");
    assertThatThrownBy(() -> Recipes.parse("jobId: y\nbaseModel: builtin:tiny\nadapter: {rank: four}\n", true,
        Map.of())).hasMessageStartingWith("JobSpec: adapter.rank: ");
    assertThatThrownBy(() -> Recipes.parse("jobId: [y\n", true, Map.of()))
        .hasMessageStartingWith("not YAML: ").hasMessageContaining("line");
    assertThatThrownBy(() -> Recipes.parse("- a\n- b\n", true, Map.of()))
        .hasMessage("a recipe must be one object (a JobSpec), got array");
    assertThatThrownBy(() -> Recipes.parse("jobId: y\njobId: z\nbaseModel: builtin:tiny\n", true, Map.of()))
        .hasMessageContaining("Duplicate field 'jobId'");

    Files.writeString(dir.resolve("j.json"), "{\"jobId\": \"j\", \"baseModel\": \"builtin:tiny\"}");
    assertThat(Recipes.load(Recipes.find(dir, "j"), Map.of("adapter.type", "lora")).adapter())
        .isEqualTo(AdapterSpec.LORA_DEFAULTS);
    assertThat(Recipes.find(dir, "j.json")).isEqualTo(dir.resolve("j.json"));
    assertThatThrownBy(() -> Recipes.find(dir, "k")).hasMessageEndingWith("(recipes: j)");
    assertThatThrownBy(() -> Recipes.find(dir, "../j")).hasMessageStartingWith("recipe name must match");
  }
}

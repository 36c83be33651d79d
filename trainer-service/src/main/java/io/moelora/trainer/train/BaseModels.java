package io.moelora.trainer.train;

import io.moelora.core.io.LoadedModel;
import io.moelora.core.io.ModelLoader;
import io.moelora.core.io.ModelReference;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/** Base models by reference, each loaded once per JVM and shared by every job that names it. */
public final class BaseModels implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(BaseModels.class);

  private final Path modelDir;
  private final Map<String, LoadedModel> loaded = new HashMap<>();

  public BaseModels(Path modelDir) {
    this.modelDir = modelDir;
  }

  /** The model named by a job's {@code baseModel}, loading it on first use. */
  public LoadedModel get(String reference) {
    LoadedModel model = loaded.get(reference);
    if (model == null) {
      long start = System.nanoTime();
      model = ModelLoader.load(ModelReference.resolve(reference, modelDir), null);
      if (model.tokenizer() == null) {
        model.close();
        throw new IllegalArgumentException("base model '" + reference + "' has no tokenizer; training needs one");
      }
      LOG.infof("Loaded base model %s in %d ms", reference, (System.nanoTime() - start) / 1_000_000);
      loaded.put(reference, model);
    }
    return model;
  }

  @Override
  public void close() {
    loaded.values().forEach(LoadedModel::close);
    loaded.clear();
  }
}

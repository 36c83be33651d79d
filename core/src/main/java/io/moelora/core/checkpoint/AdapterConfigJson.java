package io.moelora.core.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moelora.core.adapter.AdapterConfig;
import io.moelora.core.adapter.AdapterRegistry;
import java.util.ArrayList;
import java.util.List;

/** {@code adapter_config.json} in PEFT style, with the MoELoRA fields and the resolved scale. */
public final class AdapterConfigJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AdapterConfigJson() {}

    public static ObjectNode write(AdapterConfig c, String baseModel) {
        ObjectNode n = JSON.createObjectNode();
        n.put("peft_type", AdapterRegistry.get(c.type()).peftType());
        n.put("adapter_type", c.type());
        n.put("base_model", baseModel);
        n.put("r", c.rank());
        n.put("lora_alpha", c.alpha());
        n.put("scale", c.scale());
        n.put("lora_dropout", c.dropout());
        c.targets().forEach(n.putArray("target_modules")::add);
        n.put("num_experts", c.experts());
        n.put("top_k", c.topK());
        n.put("expert_r", c.expertRank());
        n.put("contrastive_weight", c.contrastiveWeight());
        n.put("contrastive_temperature", c.temperature());
        n.put("contrastive_max_samples", c.maxSamples());
        n.put("balance_weight", c.balanceWeight());
        n.put("router_init", c.routerInit());
        return n;
    }

    /** @throws IllegalArgumentException naming the field when a value is missing or out of range */
    public static AdapterConfig read(JsonNode n) {
        String type = AdapterRegistry.byPeftType(text(n, "peft_type")).name();
        List<String> targets = new ArrayList<>();
        JsonNode t = n.path("target_modules");
        if (!t.isArray()) {
            throw new IllegalArgumentException("target_modules must be a list");
        }
        t.forEach(x -> targets.add(x.asText()));
        return new AdapterConfig(type, integer(n, "r"), number(n, "lora_alpha"), number(n, "scale"),
                number(n, "lora_dropout"), targets, integer(n, "num_experts"), integer(n, "top_k"),
                integer(n, "expert_r"), number(n, "contrastive_weight"), number(n, "contrastive_temperature"),
                integer(n, "contrastive_max_samples"), number(n, "balance_weight"), n.path("router_init").asText("kaiming"));
    }

    private static String text(JsonNode n, String field) {
        if (!n.path(field).isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return n.get(field).asText();
    }

    private static int integer(JsonNode n, String field) {
        if (!n.path(field).isIntegralNumber()) {
            throw new IllegalArgumentException(field + " must be an integer");
        }
        return n.get(field).intValue();
    }

    private static double number(JsonNode n, String field) {
        if (!n.path(field).isNumber()) {
            throw new IllegalArgumentException(field + " must be a number");
        }
        return n.get(field).doubleValue();
    }
}

//! "How the bytes are counted": the rules and the format catalogue, from the core's own rows.

use yew::prelude::*;

use crate::core::format::FORMATS;
use crate::core::units::fmt_thousands;

#[function_component]
pub fn HowItWorks() -> Html {
    html! {
        <section class="how" aria-labelledby="how-title">
            <h2 id="how-title">{ "How the bytes are counted" }</h2>
            <ul class="rules">
                <li>{ "Weights: every tensor of the model's architecture, each in the format the chosen scheme gives it, with every block scale, zero point and per-channel or per-tensor scale counted. Parameter counts are derived from the architecture and match the published counts within 1 %." }</li>
                <li>{ "llama.cpp presets (Q4_K_M, Q8_0, …) follow llama-quantize's per-tensor mix without an importance matrix: the output head in Q6_K, half of attn_v and ffn_down one step up, norms in F32. Q4_K, Q5_K and Q3_K alone are --pure: every tensor in that type." }</li>
                <li>{ "Checkpoint formats (FP8, INT8, GPTQ INT4, NF4, MX, NVFP4) quantize the linear layers; embeddings, output head, routers and norms stay in BF16." }</li>
                <li>{ "KV cache = 2 · layers · KV heads · head size · context · batch · bytes per element in the KV format. Grouped-query attention uses the KV heads; sliding-window layers keep at most their window; DeepSeek's MLA caches one latent of 576 per token and layer; encoders keep none." }</li>
                <li>{ "A raw parameter count borrows the layout of the nearest Llama-3 model and is marked ≈." }</li>
                <li>{ "Runtime is one editable term: a size, or a share of the weights." }</li>
                <li>{ format!("GB = {} bytes; GiB = {} bytes.", fmt_thousands(1_000_000_000), fmt_thousands(1 << 30)) }</li>
            </ul>
            <details>
                <summary>{ "Format catalogue" }</summary>
                <div class="table-wrap">
                    <table class="catalogue">
                        <thead><tr>
                            <th scope="col">{ "Format" }</th><th scope="col">{ "Block" }</th><th scope="col">{ "Bits / weight" }</th>
                            <th scope="col">{ "Element" }</th><th scope="col">{ "Scale" }</th><th scope="col">{ "Source" }</th>
                        </tr></thead>
                        <tbody>
                            { for FORMATS.iter().map(|f| html! {
                                <tr>
                                    <th scope="row">{ f.name }</th>
                                    <td>{ format!("{} elements, {} bits", f.block_elems, f.block_bits) }</td>
                                    <td>{ format!("{:.4}", f.bpw()) }</td>
                                    <td>{ f.element }</td>
                                    <td>{ f.scale }</td>
                                    <td>{ f.source }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            </details>
        </section>
    }
}

//! "How the bytes are counted": the rules and the format catalogue, from the core's own rows.

use yew::prelude::*;

use super::lang::{use_lang, use_strings};
use crate::core::text::i18n::fill;

use crate::core::catalog::format::FORMATS;
use crate::core::text::units::fmt_thousands;

#[function_component]
pub fn HowItWorks() -> Html {
    let t = use_strings();
    let lang = use_lang();
    html! {
        <section class="how" aria-labelledby="how-title">
            <h2 id="how-title">{ t.how_title }</h2>
            <ul class="rules">
                <li>{ t.how_weights }</li>
                <li>{ t.how_presets }</li>
                <li>{ t.how_checkpoint }</li>
                <li>{ t.how_kv }</li>
                <li>{ t.how_raw }</li>
                <li>{ t.how_sparse }</li>
                <li>{ t.how_runtime }</li>
                <li>{ fill(t.how_units, &[&fmt_thousands(1_000_000_000), &fmt_thousands(1 << 30)]) }</li>
            </ul>
            <details>
                <summary>{ t.catalogue }</summary>
                <div class="table-wrap">
                    <table class="catalogue">
                        <thead><tr>
                            <th scope="col">{ t.format }</th><th scope="col">{ t.col_block }</th><th scope="col">{ t.col_bits_weight }</th>
                            <th scope="col">{ t.col_element }</th><th scope="col">{ t.col_scale }</th><th scope="col">{ t.col_source }</th>
                        </tr></thead>
                        <tbody>
                            { for FORMATS.iter().map(|f| html! {
                                <tr>
                                    <th scope="row">{ f.name }</th>
                                    <td>{ fill(t.block_cell, &[&f.block_elems.to_string(), &f.block_bits.to_string()]) }</td>
                                    <td>{ format!("{:.4}", f.bpw()) }</td>
                                    <td>{ lang.prose(f.element) }</td>
                                    <td>{ lang.prose(f.scale) }</td>
                                    <td>{ lang.prose(f.source) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            </details>
        </section>
    }
}

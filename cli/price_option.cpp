#include "cli/price_option.h"

#include <stdexcept>

#include <fmt/format.h>

#include "cli/input_text.h"

namespace r1eval::cli {

perf::PriceTable price_table_option(const std::string& path) {
  if (path.empty()) return perf::default_price_table();
  if (path == "-") return perf::parse_price_table(read_input_text(path, "price file"), input_name(path));
  return perf::load_price_table(path);
}

std::optional<ChosenPrices> choose_run_prices(const RunPrices& options, const std::string& served_model) {
  if (options.input_usd_per_mtok.has_value() != options.output_usd_per_mtok.has_value()) {
    throw std::invalid_argument("--price-in and --price-out go together: give both, in dollars per million tokens");
  }
  if (options.input_usd_per_mtok) {
    return ChosenPrices{{*options.input_usd_per_mtok, *options.output_usd_per_mtok}, "--price-in and --price-out"};
  }
  if (served_model.empty()) return std::nullopt;
  const perf::PriceTable table = price_table_option(options.table);
  const perf::EndpointPrice* entry = perf::find_endpoint_price(table, served_model);
  if (entry == nullptr) return std::nullopt;
  return ChosenPrices{
      {entry->price.input_usd_per_mtok, entry->price.output_usd_per_mtok},
      fmt::format("{} ({}, {}; {})", entry->price.name, entry->price.input_basis, entry->price.as_of, table.source)};
}

}  // namespace r1eval::cli

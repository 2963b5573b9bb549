# The report renderers (reports/render.h): Markdown, self-contained HTML with inline SVG charts, JSON.
# Included from reports/CMakeLists.txt; they take plain ReportData, so they do not link the database library.
add_library(r1eval_reports_render STATIC
  ${CMAKE_CURRENT_SOURCE_DIR}/metric_format.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/render.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/render_html.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/render_json.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/render_markdown.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/report_charts.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/report_content.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/report_tables.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/svg_charts.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/text_escape.cpp)
target_link_libraries(r1eval_reports_render
  PUBLIC r1eval_options nlohmann_json::nlohmann_json
  PRIVATE fmt::fmt r1eval_graders_core)

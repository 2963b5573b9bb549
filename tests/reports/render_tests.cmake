# Tests of the report renderers (reports/render.cmake). Included from tests/reports/CMakeLists.txt.
add_library(r1eval_reports_render_testing STATIC
  ${CMAKE_CURRENT_SOURCE_DIR}/html_check.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/render_fixture.cpp)
target_link_libraries(r1eval_reports_render_testing PUBLIC r1eval_options nlohmann_json::nlohmann_json)

r1eval_add_test(reports_render_text_escape_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/text_escape_test.cpp LIBS r1eval_reports_render)
r1eval_add_test(reports_render_metric_format_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/metric_format_test.cpp LIBS r1eval_reports_render)
r1eval_add_test(reports_render_svg_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/svg_charts_test.cpp LIBS r1eval_reports_render r1eval_reports_render_testing)
r1eval_add_test(reports_render_markdown_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/render_markdown_test.cpp
  LIBS r1eval_reports_render r1eval_reports_render_testing)
r1eval_add_test(reports_render_json_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/render_json_test.cpp LIBS r1eval_reports_render r1eval_reports_render_testing)
r1eval_add_test(reports_render_html_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/render_html_test.cpp LIBS r1eval_reports_render r1eval_reports_render_testing)
r1eval_add_test(reports_render_robustness_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/render_robustness_test.cpp
  LIBS r1eval_reports_render r1eval_reports_render_testing)

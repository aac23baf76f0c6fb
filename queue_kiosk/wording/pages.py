"""The citizens' web pages: the ticket status page and the booking pages; `serve`'s index."""

TEXTS: dict[str, tuple[str, str]] = {
    "bookpage.title": ("Đặt lịch hẹn", "Book a time"),
    "bookpage.choose_field": ("Chọn lĩnh vực cần giải quyết:", "Choose the service you need:"),
    "bookpage.none": ("Hiện không còn chỗ hẹn. Mời Quý khách lấy số tại trung tâm.",
                      "No free slots now. Please take a number at the centre."),
    "bookpage.no_field": ("Không có lĩnh vực này để đặt lịch.",
                          "There is no such service to book."),
    "bookpage.asap": ("Lấy số trực tuyến: giờ sớm nhất hôm nay",
                      "Online number: the earliest time today"),
    "bookpage.procedure": ("Thủ tục (có thể bỏ qua)", "Procedure (optional)"),
    "bookpage.phone": ("Số điện thoại (không bắt buộc)", "Phone number (optional)"),
    "bookpage.phone_note": (
        "Số điện thoại chỉ dùng để Trung tâm liên hệ với Quý khách khi cần, không hiển thị công "
        "khai và được tự động xóa sau {days} ngày.",
        "Only for the centre to reach you if needed; never shown publicly, and deleted "
        "automatically after {days} days."),
    "bookpage.cccd": ("Số CCCD, 12 chữ số (không bắt buộc)", "ID number, 12 digits (optional)"),
    "bookpage.cccd_note": (
        "Chỉ dùng để mỗi người có một lịch hẹn cho mỗi lĩnh vực trong ngày và để xét ưu tiên "
        "người cao tuổi; Trung tâm không lưu số, họ tên hay ảnh thẻ.",
        "Only so that each person holds one booking per service and day, and for priority by "
        "age; the centre keeps no number, name or card image."),
    "bookpage.not_this_field": (
        "Thủ tục này không thuộc lĩnh vực {field}. Vui lòng chọn lại thủ tục trong danh sách.",
        "This procedure is not one of {field}. Please choose a procedure from the list."),
    "bookpage.choose_slot": ("Hoặc chọn giờ:", "Or choose a time:"),
    "bookpage.too_many": ("Quý khách đã đặt hoặc hủy nhiều lần. Vui lòng thử lại sau.",
                          "Too many bookings from this device. Please try again later."),
    "bookpage.code_title": ("Lịch hẹn {code}", "Booking {code}"),
    "bookpage.when": ("Thời gian", "When"),
    "bookpage.ticket": ("Số thứ tự", "Ticket"),
    "bookpage.advice": (
        "Mời Quý khách đến trung tâm từ {opens} đến {closes}, chọn \"Tôi có lịch hẹn\" ở máy "
        "lấy số và nhập mã hoặc quét mã QR này.",
        "Come to the centre between {opens} and {closes}, choose \"I have a booking\" at the "
        "kiosk and type the code or scan this QR."),
    "bookpage.cancel": ("Hủy lịch hẹn", "Cancel the booking"),
    "serve.book": ("Đặt lịch hẹn", "Book a time"),
    "serve.board": ("Bảng gọi số cho TV có trình duyệt",
                    "The calling board for a TV with a browser"),
    "serve.status_pages": ("Trang theo dõi phiếu: /t/<mã phiếu> · Kiểm tra:",
                           "Ticket status pages: /t/<ticket code> · Health check:"),
    "page.title": ("Số thứ tự {number}", "Ticket {number}"),
    "page.field": ("Lĩnh vực", "Service"),
    "page.state": ("Trạng thái", "Status"),
    "page.ahead": ("Số người chờ trước Quý khách", "People ahead of you"),
    "page.eta": ("Thời gian chờ dự kiến", "Estimated wait"),
    "page.minutes": ("khoảng {minutes} phút", "about {minutes} min"),
    "page.minutes_soon": ("Sắp đến lượt", "Coming up"),
    "page.called": ("Mời đến quầy số {counter}", "Please go to counter {counter}"),
    "page.serving": ("Đang được phục vụ tại quầy số {counter}",
                     "Being served at counter {counter}"),
    "page.refresh": (
        "Trang tự cập nhật mỗi {seconds} giây",
        "This page refreshes every {seconds} s",
    ),
    "page.rate": ("Mời Quý khách đánh giá mức độ hài lòng:", "How satisfied were you?"),
    "page.rated": ("Cảm ơn Quý khách đã đánh giá.", "Thank you for your rating."),
    "page.advice_expired": (
        "Phiếu này đã hết hạn khi {centre} kết thúc ngày làm việc. Mời Quý khách lấy số "
        "mới tại kiosk của trung tâm vào ngày làm việc tiếp theo.",
        "This ticket expired when {centre} closed for the day. Please take a new number at "
        "the centre's kiosk on the next working day.",
    ),
    "page.advice_no_show": (
        "Quý khách đã được gọi nhưng không có mặt. Mời Quý khách đến {centre} và báo cán bộ "
        "tại quầy để được gọi lại.",
        "You were called but were not there. Please come to {centre} and tell an official "
        "at a counter, who can call you again.",
    ),
    "page.advice_cancelled": (
        "Phiếu này đã bị hủy do lĩnh vực tạm ngừng tiếp nhận. Mời Quý khách liên hệ {centre}.",
        "This ticket was cancelled because its service was suspended. Please contact "
        "{centre}.",
    ),
    "page.not_found": ("Không tìm thấy phiếu này. Vui lòng kiểm tra lại mã QR.",
                  "This ticket was not found. Please check the QR code."),
    "page.too_many": ("Quá nhiều yêu cầu. Vui lòng thử lại sau ít phút.",
                 "Too many requests. Please try again in a few minutes."),
    "page.bad_request": (
        "Trang không đọc được yêu cầu này. Vui lòng mở lại trang và thử lại.",
        "This page could not read the request. Please open the page again and try again.",
    ),
    "page.error": (
        "Hệ thống đang bận. Vui lòng thử lại sau.",
        "The system is busy. Please try again.",
    ),
}
